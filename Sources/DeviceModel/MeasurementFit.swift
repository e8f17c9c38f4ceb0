import Foundation

/// Measured conductances of programmed cells, one row per read, grouped by the level the
/// cells were programmed to.
public struct ConductanceMeasurements: Sendable {
    /// The kind of target named in the first column.
    public enum TargetColumn: String, Sendable {
        /// `level`: the level index, an integer >= 0.
        case level
        /// `target_siemens`: the target conductance in siemens.
        case targetSiemens = "target_siemens"
    }

    public let targetColumn: TargetColumn
    /// The measured conductances in siemens of each level, lowest target first.
    public let levels: [[Double]]
    /// The target of each level: its index, or its target conductance in siemens.
    public let targets: [Double]

    /// Parses CSV text with a header row `level,conductance_siemens` or
    /// `target_siemens,conductance_siemens`. Blank lines are skipped.
    ///
    /// - Throws: `MeasurementError.invalidHeader` for another header, `.invalidRows` listing
    ///   every bad row with its line number (wrong column count, a value that is not a
    ///   finite number, a negative conductance, a level that is not an integer >= 0), and
    ///   `.tooFewMeasurements` for a level with fewer than 2 rows or a level index with none.
    public init(csv text: String) throws(MeasurementError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        while lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { throw .invalidHeader("") }
        let columns = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns.count == 2, let target = TargetColumn(rawValue: columns[0]), columns[1] == "conductance_siemens" else {
            throw .invalidHeader(header)
        }
        var groups: [Double: [Double]] = [:]
        var errors: [MeasurementError.Row] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = offset + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2 else {
                errors.append(.init(line: number, reason: "has \(fields.count) columns, expected 2"))
                continue
            }
            guard let key = Double(fields[0]), key.isFinite, key >= 0 else {
                errors.append(.init(line: number, reason: "\(target.rawValue) '\(fields[0])' is not a finite number >= 0"))
                continue
            }
            if target == .level && key != key.rounded() {
                errors.append(.init(line: number, reason: "level '\(fields[0])' is not an integer"))
                continue
            }
            guard let siemens = Double(fields[1]), siemens.isFinite else {
                errors.append(.init(line: number, reason: "conductance_siemens '\(fields[1])' is not a finite number"))
                continue
            }
            guard siemens >= 0 else {
                errors.append(.init(line: number, reason: "conductance_siemens \(fields[1]) is negative"))
                continue
            }
            groups[key, default: []].append(siemens)
        }
        guard errors.isEmpty else { throw .invalidRows(errors) }
        let keys = groups.keys.sorted()
        if target == .level, let largest = keys.last, let missing = (0...Int(largest)).first(where: { groups[Double($0)] == nil }) {
            throw .tooFewMeasurements(target: Double(missing), count: 0)
        }
        if let sparse = keys.first(where: { groups[$0]!.count < 2 }) {
            throw .tooFewMeasurements(target: sparse, count: groups[sparse]!.count)
        }
        guard keys.count >= 2 else { throw .tooFewLevels(keys.count) }
        targetColumn = target
        targets = keys
        levels = keys.map { groups[$0]! }
    }
}

/// The fit of one level: its sample mean and standard deviation, and how normal it looks.
public struct LevelFit: Sendable {
    public let target: Double
    public let sampleSize: Int
    /// The sample mean in siemens.
    public let meanSiemens: Double
    /// The sample standard deviation (n - 1 in the denominator) in siemens.
    public let standardDeviationSiemens: Double
    /// The Kolmogorov-Smirnov statistic D = max |F_n(x) - Phi((x - mean) / sd)| against a
    /// normal distribution with the fitted mean and standard deviation.
    public let kolmogorovSmirnov: Double

    /// The approximate 5 % critical value of D when the mean and standard deviation are
    /// fitted from the same sample (Lilliefors, 1967): 0.886 / sqrt(n), valid for n above
    /// about 30; D above it rejects normality at the 5 % level.
    public var kolmogorovSmirnovCritical: Double { 0.886 / Double(sampleSize).squareRoot() }

    /// Fits one level's measurements.
    ///
    /// - Precondition: at least 2 values.
    public init(target: Double, siemens values: [Double]) {
        precondition(values.count >= 2, "a level fit needs at least 2 measurements")
        self.target = target
        sampleSize = values.count
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        meanSiemens = mean
        standardDeviationSiemens = variance.squareRoot()
        kolmogorovSmirnov = Self.statistic(values.sorted(), mean: mean, standardDeviation: variance.squareRoot())
    }

    private static func statistic(_ sorted: [Double], mean: Double, standardDeviation: Double) -> Double {
        guard standardDeviation > 0 else { return 0 }
        let n = Double(sorted.count)
        var largest = 0.0
        for (i, x) in sorted.enumerated() {
            let cdf = StandardNormal.cumulativeProbability((x - mean) / standardDeviation)
            largest = max(largest, Double(i + 1) / n - cdf, cdf - Double(i) / n)
        }
        return largest
    }
}

extension ConductanceMeasurements {
    /// One fit per level, lowest target first.
    public func fit() -> [LevelFit] {
        zip(targets, levels).map { LevelFit(target: $0, siemens: $1) }
    }
}

/// Measurements that cannot be fitted, with the line numbers of bad rows.
public enum MeasurementError: Error, Equatable, CustomStringConvertible {
    /// One bad CSV row: its 1-based line number and what is wrong with it.
    public struct Row: Equatable, Sendable {
        public let line: Int
        public let reason: String
    }

    case invalidHeader(String)
    case invalidRows([Row])
    case tooFewMeasurements(target: Double, count: Int)
    case tooFewLevels(Int)

    public var description: String {
        switch self {
        case let .invalidHeader(header):
            "invalid header '\(header)': expected 'level,conductance_siemens' or 'target_siemens,conductance_siemens'"
        case let .invalidRows(rows):
            "\(rows.count) invalid row\(rows.count == 1 ? "" : "s"):\n" + rows.map { "  line \($0.line): \($0.reason)" }.joined(separator: "\n")
        case let .tooFewMeasurements(target, count):
            "the level with target \(target) has \(count) measurement\(count == 1 ? "" : "s"); each level needs at least 2"
        case let .tooFewLevels(count):
            "the file holds \(count) level; a device needs at least 2"
        }
    }
}
