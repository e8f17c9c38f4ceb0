import DeviceModel

/// The emulated statistics of one conductance level over many programmed and read cells.
public struct LevelReport: Sendable {
    public var targetSiemens: Double
    /// The mean of the reads in siemens.
    public var meanSiemens: Double
    /// The standard deviation of the reads in siemens (n - 1 in the denominator).
    public var standardDeviationSiemens: Double
    /// The fraction of reads closer to the target of the level below than to this one's;
    /// nil for the lowest level.
    public var overlapBelow: Double?
    /// The fraction of reads closer to the target of the level above; nil for the highest.
    public var overlapAbove: Double?
}

/// A virtual array programmed with `cellsPerLevel` cells at every level of a device and
/// read once each, as `reram-emu device report` prints it.
public struct DeviceReport: Sendable {
    public var levels: [LevelReport]
    /// Gmax / Gmin of the device's window.
    public var onOffRatio: Double
    public var faults: FaultCounts

    /// Programs and reads `cellsPerLevel` cells at each level. A read is the programmed
    /// conductance (variation, drift and stuck-at faults) times (1 + sigma_r * e) for read
    /// noise. Streams derive from `seed` only.
    ///
    /// - Throws: `GSLError` when GSL cannot allocate a generator.
    public static func measure(_ model: DeviceCellModel, cellsPerLevel: Int, seed: UInt64) throws(GSLError) -> DeviceReport {
        let targets = model.levels.values
        var faults = FaultCounts()
        var reports: [LevelReport] = []
        for (k, target) in targets.enumerated() {
            var sum = 0.0
            var sumOfSquares = 0.0
            var below = 0
            var above = 0
            let lowerBoundary = k > 0 ? (targets[k - 1] + target) / 2 : -Double.infinity
            let upperBoundary = k + 1 < targets.count ? (target + targets[k + 1]) / 2 : Double.infinity
            try sampleReads(model, level: k, count: cellsPerLevel, seed: seed, faults: &faults) { read in
                // Offsets from the target keep the sum of squares accurate for narrow levels.
                sum += read - target
                sumOfSquares += (read - target) * (read - target)
                if read < lowerBoundary { below += 1 }
                if read > upperBoundary { above += 1 }
            }
            let n = Double(cellsPerLevel)
            let meanOffset = sum / n
            let variance = max(0, (sumOfSquares - n * meanOffset * meanOffset) / max(n - 1, 1))
            reports.append(LevelReport(
                targetSiemens: target, meanSiemens: target + meanOffset, standardDeviationSiemens: variance.squareRoot(),
                overlapBelow: k > 0 ? Double(below) / n : nil,
                overlapAbove: k + 1 < targets.count ? Double(above) / n : nil))
        }
        return DeviceReport(levels: reports, onOffRatio: model.levels.window.dynamicRange, faults: faults)
    }

    /// Programs `count` cells at level `level` and passes each read in siemens to `read`.
    /// The streams of a level derive from (seed, level), so levels are independent.
    ///
    /// - Throws: `GSLError` when GSL cannot allocate a generator.
    public static func sampleReads(_ model: DeviceCellModel, level: Int, count: Int, seed: UInt64,
                                   faults: inout FaultCounts, read: (Double) -> Void) throws(GSLError) {
        let levelSeed = SeedSequence.seed(seed, UInt64(level))
        let streams = try ProgrammingStreams(programming: try RandomGenerator(seed: levelSeed), trialSeed: levelSeed,
                                             cells: model.cells)
        let noise = model.readNoise > 0 ? try RandomGenerator(seed: SeedSequence.seed(levelSeed, ReadNoiseStream.label)) : nil
        let target = model.levels.level(level)
        for _ in 0..<count {
            let cell = model.cells.program(target, streams: streams)
            switch cell.fault {
            case .none: break
            case .stuckOff: faults.stuckOff += 1
            case .stuckOn: faults.stuckOn += 1
            }
            let factor = noise.map { 1 + model.readNoise * $0.standardNormal() } ?? 1
            read(cell.siemens * factor)
        }
        faults.cells += count
    }
}

/// The label of read-noise streams in `DeviceReport`, chained after a level's seed.
enum ReadNoiseStream {
    static let label: UInt64 = 0x5245_4144_0000_0004
}

extension DeviceConfig {
    /// A preset with the fitted levels as measured means and their standard deviations as
    /// a per-level table; the variation of the fitted measurements includes any read noise.
    ///
    /// - Precondition: the fitted means ascend strictly.
    public static func fitted(_ fits: [LevelFit], source: String) -> DeviceConfig {
        var device = DeviceConfig()
        device.gmaxSiemens = nil
        device.source = source
        device.levelsSiemens = fits.map(\.meanSiemens)
        device.variationModel = .perLevel
        device.levelSigmaSiemens = fits.map(\.standardDeviationSiemens)
        return device
    }
}
