import Foundation

/// Cells stuck at Gmin (stuck-off) or at Gmax (stuck-on), drawn afresh for every cell
/// each time it is programmed: u ~ U[0, 1) from GSL, stuck-off when u < p_off, stuck-on
/// when p_off <= u < p_off + p_on.
public struct StuckAtFaults: Sendable, Equatable {
    /// p_off, the fraction of cells stuck at Gmin.
    public let stuckOffRate: Double
    /// p_on, the fraction of cells stuck at Gmax.
    public let stuckOnRate: Double

    public static let none = StuckAtFaults(validOff: 0, on: 0)

    /// - Throws: `DeviceModelError.invalidRate` unless both rates and their sum are in [0, 1].
    public init(stuckOffRate: Double, stuckOnRate: Double) throws(DeviceModelError) {
        guard stuckOffRate.isFinite, (0...1).contains(stuckOffRate) else {
            throw .invalidRate(name: "stuck-off rate", value: stuckOffRate)
        }
        guard stuckOnRate.isFinite, (0...1).contains(stuckOnRate), stuckOffRate + stuckOnRate <= 1 else {
            throw .invalidRate(name: "stuck-on rate", value: stuckOnRate)
        }
        self.init(validOff: stuckOffRate, on: stuckOnRate)
    }

    private init(validOff: Double, on: Double) {
        stuckOffRate = validOff
        stuckOnRate = on
    }

    public var isNone: Bool { stuckOffRate == 0 && stuckOnRate == 0 }
}

/// Conductance drift after programming, G(t) = G0 * (t / t0)^(-nu), with the exponent nu
/// drawn per cell from N(mean, std) and clamped at 0 so that no cell grows.
public struct ConductanceDrift: Sendable, Equatable {
    /// The mean of nu (dimensionless).
    public let exponentMean: Double
    /// The standard deviation of nu across cells (dimensionless).
    public let exponentStandardDeviation: Double
    /// t0, the time after programming at which G = G0, in seconds.
    public let referenceTimeSeconds: Double

    /// - Throws: `DeviceModelError.invalidDrift` unless the mean and standard deviation are
    ///   finite and >= 0 and t0 is finite and > 0.
    public init(exponentMean: Double, exponentStandardDeviation: Double,
                referenceTimeSeconds: Double) throws(DeviceModelError) {
        guard exponentMean.isFinite, exponentMean >= 0 else {
            throw .invalidDrift("the exponent mean \(exponentMean) must be finite and >= 0")
        }
        guard exponentStandardDeviation.isFinite, exponentStandardDeviation >= 0 else {
            throw .invalidDrift("the exponent standard deviation \(exponentStandardDeviation) must be finite and >= 0")
        }
        guard referenceTimeSeconds.isFinite, referenceTimeSeconds > 0 else {
            throw .invalidDrift("the reference time \(referenceTimeSeconds) s must be finite and > 0")
        }
        self.exponentMean = exponentMean
        self.exponentStandardDeviation = exponentStandardDeviation
        self.referenceTimeSeconds = referenceTimeSeconds
    }

    /// The factor (t / t0)^(-nu) for one cell, drawing nu from `generator` when the exponent
    /// has a spread.
    @inline(__always)
    func factor(readTimeSeconds: Double, generator: RandomGenerator) -> Double {
        let e = exponentStandardDeviation > 0 ? generator.standardNormal() : 0
        let exponent = max(0, exponentMean + exponentStandardDeviation * e)
        return pow(readTimeSeconds / referenceTimeSeconds, -exponent)
    }
}

/// What happened to one cell when it was programmed.
public enum CellFault: Sendable {
    case none
    case stuckOff
    case stuckOn
}

/// Cells stuck at each end, counted while programming.
public struct FaultCounts: Sendable, Equatable {
    public var stuckOff = 0
    public var stuckOn = 0
    public var cells = 0

    public init() {}

    public static func += (left: inout FaultCounts, right: FaultCounts) {
        left.stuckOff += right.stuckOff
        left.stuckOn += right.stuckOn
        left.cells += right.cells
    }
}

/// The random streams of one trial's programming. Variation draws come from
/// `programming` in the same order as without faults or drift; faults and drift draw from
/// streams of their own, so turning them on leaves the variation of every cell unchanged.
public final class ProgrammingStreams {
    public let programming: RandomGenerator
    let faults: RandomGenerator?
    let drift: RandomGenerator?

    /// Stream labels chained after the trial's seed, so every stream of a trial differs.
    static let faultStream: UInt64 = 0x5354_5543_4B00_0001
    static let driftStream: UInt64 = 0x4452_4946_5400_0002

    /// - Parameters:
    ///   - programming: the trial's variation stream.
    ///   - trialSeed: the seed the trial's other streams derive from with `SeedSequence`.
    ///   - cells: the model the streams serve; streams it does not need are not created.
    /// - Throws: `GSLError` when GSL cannot allocate a generator.
    public init(programming: RandomGenerator, trialSeed: UInt64, cells: CellProgramming) throws(GSLError) {
        self.programming = programming
        faults = cells.faults.isNone ? nil : try RandomGenerator(seed: SeedSequence.seed(trialSeed, Self.faultStream))
        drift = cells.drift == nil ? nil : try RandomGenerator(seed: SeedSequence.seed(trialSeed, Self.driftStream))
    }

    /// Streams for programming variation alone, the model without faults or drift.
    public init(programming: RandomGenerator) {
        self.programming = programming
        faults = nil
        drift = nil
    }
}

/// How one cell is programmed: variation around its target, then drift to the read time,
/// then stuck-at faults, which override both.
public struct CellProgramming: Sendable {
    public var window: ConductanceWindow
    public var variation: ProgrammingVariation
    public var faults: StuckAtFaults
    public var drift: ConductanceDrift?
    /// t, the time after programming at which the cell is read, in seconds; used only
    /// with drift.
    public var readTimeSeconds: Double

    public init(window: ConductanceWindow, variation: ProgrammingVariation, faults: StuckAtFaults = .none,
                drift: ConductanceDrift? = nil, readTimeSeconds: Double = 1) {
        self.window = window
        self.variation = variation
        self.faults = faults
        self.drift = drift
        self.readTimeSeconds = readTimeSeconds
    }

    /// True when programming draws random numbers.
    public var isRandom: Bool {
        !variation.isNone || !faults.isNone || (drift.map { $0.exponentStandardDeviation > 0 } ?? false)
    }

    /// Returns the conductance of one programmed cell in siemens and whether it is stuck.
    ///
    /// - Precondition: `streams` were created for this model (with fault and drift
    ///   streams when those are configured).
    @inline(__always)
    public func program(_ targetSiemens: Double, streams: ProgrammingStreams) -> (siemens: Double, fault: CellFault) {
        var siemens = variation.program(targetSiemens, using: streams.programming)
        if let drift {
            siemens *= drift.factor(readTimeSeconds: readTimeSeconds, generator: streams.drift!)
        }
        guard let generator = streams.faults else { return (siemens, .none) }
        let u = generator.uniform()
        if u < faults.stuckOffRate { return (window.minimumSiemens, .stuckOff) }
        if u < faults.stuckOffRate + faults.stuckOnRate { return (window.maximumSiemens, .stuckOn) }
        return (siemens, .none)
    }
}
