/// The number of conductance quantization levels a cell can be programmed to.
public enum LevelCount: Hashable, Sendable, CustomStringConvertible {
    /// N levels evenly spaced in conductance over the window, N >= 2.
    case quantized(Int)
    /// Any conductance within the window (an analog ideal).
    case unquantized

    public var description: String {
        switch self {
        case .quantized(let count): String(count)
        case .unquantized: "unquantized"
        }
    }
}

/// How quantized levels sit between Gmin and Gmax.
public enum LevelSpacing: String, Sendable, Codable, CaseIterable {
    /// G_k = Gmin + k * (Gmax - Gmin) / (N - 1): equal conductance steps.
    case conductance
    /// R_k = Roff - k * (Roff - Ron) / (N - 1) and G_k = 1 / R_k: equal resistance steps,
    /// so levels crowd towards Gmin.
    case resistance
}

/// The conductances a cell can be programmed to: N levels evenly spaced in conductance
/// (G_k = Gmin + k * (Gmax - Gmin) / (N - 1), k = 0 ... N - 1) or in resistance, an
/// explicit list of measured level means, or the whole window when unquantized.
public struct ConductanceLevels: Sendable {
    public let window: ConductanceWindow
    public let count: LevelCount
    /// The spacing between adjacent levels in siemens for levels evenly spaced in
    /// conductance; 0 when unquantized or when the levels are listed explicitly.
    public let stepSiemens: Double
    /// The levels in siemens, ascending, when they are not evenly spaced in conductance.
    private let listedSiemens: [Double]?

    /// Creates N levels evenly spaced in conductance, or an unquantized cell.
    ///
    /// - Throws: `DeviceModelError.invalidLevelCount` when N < 2.
    public init(window: ConductanceWindow, count: LevelCount) throws(DeviceModelError) {
        if case .quantized(let n) = count, n < 2 {
            throw .invalidLevelCount(n)
        }
        var step = 0.0
        if case .quantized(let n) = count { step = window.spanSiemens / Double(n - 1) }
        self.init(window: window, count: count, stepSiemens: step, listedSiemens: nil)
    }

    private init(window: ConductanceWindow, count: LevelCount, stepSiemens: Double, listedSiemens: [Double]?) {
        self.window = window
        self.count = count
        self.stepSiemens = stepSiemens
        self.listedSiemens = listedSiemens
    }

    /// Creates N levels with the given spacing. Resistance spacing needs Gmin > 0 (a finite
    /// Roff); an unquantized cell ignores the spacing.
    ///
    /// - Throws: `DeviceModelError.invalidLevelCount` when N < 2, `.invalidWindow` for
    ///   resistance spacing with Gmin = 0.
    public init(window: ConductanceWindow, count: LevelCount, spacing: LevelSpacing) throws(DeviceModelError) {
        guard spacing == .resistance, case .quantized(let n) = count else {
            try self.init(window: window, count: count)
            return
        }
        guard n >= 2 else { throw .invalidLevelCount(n) }
        guard window.minimumSiemens > 0 else {
            throw .invalidWindow(minimumSiemens: window.minimumSiemens, maximumSiemens: window.maximumSiemens)
        }
        let offOhms = 1 / window.minimumSiemens
        let onOhms = 1 / window.maximumSiemens
        var siemens = (0..<n).map { k in 1 / (offOhms - Double(k) * (offOhms - onOhms) / Double(n - 1)) }
        // The end points are exact, so that Gmin and Gmax survive the round trip through ohms.
        siemens[0] = window.minimumSiemens
        siemens[n - 1] = window.maximumSiemens
        self.init(window: window, count: count, stepSiemens: 0, listedSiemens: siemens)
    }

    /// Creates levels from measured means in siemens. The window is [first, last].
    ///
    /// - Throws: `DeviceModelError.invalidLevelList` unless there are at least 2 finite
    ///   values >= 0 in strictly ascending order.
    public init(measuredSiemens: [Double]) throws(DeviceModelError) {
        guard measuredSiemens.count >= 2, measuredSiemens.allSatisfy({ $0.isFinite && $0 >= 0 }),
              zip(measuredSiemens, measuredSiemens.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw .invalidLevelList(measuredSiemens)
        }
        let window = try ConductanceWindow(minimumSiemens: measuredSiemens[0], maximumSiemens: measuredSiemens.last!)
        self.init(window: window, count: .quantized(measuredSiemens.count), stepSiemens: 0,
                  listedSiemens: measuredSiemens)
    }

    /// Every level in siemens, lowest first; empty when unquantized.
    public var values: [Double] {
        if let listedSiemens { return listedSiemens }
        guard case .quantized(let n) = count else { return [] }
        return (0..<n).map { level($0) }
    }

    /// The conductance of level `k` in siemens.
    public func level(_ k: Int) -> Double {
        if let listedSiemens { return listedSiemens[k] }
        return k == 0 ? window.minimumSiemens : window.minimumSiemens + Double(k) * stepSiemens
    }

    /// Snaps a conductance to the nearest level (ties go up) after clamping it to the window.
    public func nearest(_ siemens: Double) -> Double {
        let clamped = min(max(siemens, window.minimumSiemens), window.maximumSiemens)
        guard case .quantized(let n) = count else { return clamped }
        if let listedSiemens { return listedSiemens[Self.nearestIndex(of: clamped, in: listedSiemens)] }
        let index = ((clamped - window.minimumSiemens) / stepSiemens).rounded(.toNearestOrAwayFromZero)
        return level(min(max(Int(index), 0), n - 1))
    }

    /// The index of the value of ascending `sorted` nearest to `siemens`, ties going up;
    /// O(log N) by binary search.
    public static func nearestIndex(of siemens: Double, in sorted: [Double]) -> Int {
        var low = 0
        var high = sorted.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if sorted[middle] <= siemens { low = middle } else { high = middle }
        }
        return siemens - sorted[low] < sorted[high] - siemens ? low : high
    }
}

extension LevelCount: Codable {
    /// Decodes an integer N or the string "unquantized".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .quantized(count)
            return
        }
        if let text = try? container.decode(String.self), text == "unquantized" {
            self = .unquantized
            return
        }
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "a level count is an integer >= 2 or the string \"unquantized\"")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .quantized(let count): try container.encode(count)
        case .unquantized: try container.encode("unquantized")
        }
    }
}
