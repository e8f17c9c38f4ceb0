import Foundation

/// How a programmed cell's conductance departs from its target.
public enum VariationModel: String, Sendable, Codable, CaseIterable {
    /// G = G0 * (1 + sigma * e): the deviation scales with the target ("x % variation").
    case relative
    /// G = G0 + sigma * Gmax * e: the same deviation for every state.
    case absolute
    /// G = G0 * exp(s * e - s^2 / 2) with s^2 = ln(1 + sigma^2): always positive, with
    /// mean G0 and relative standard deviation sigma.
    case lognormal
    /// G = G_k + sigma * s_k * e for a cell at level k, with s_k a measured standard
    /// deviation in siemens, so sigma scales the table (1 is the device as measured).
    case perLevel
}

/// Cycle-to-cycle programming variation, drawn once for every cell each time it is
/// programmed, with e ~ N(0, 1) from GSL. Results below 0 S are clamped to 0 S.
public struct ProgrammingVariation: Sendable {
    public let model: VariationModel
    /// Standard deviation in relative units: of G0 (relative, lognormal) or of Gmax
    /// (absolute); for `perLevel`, the factor on the table of standard deviations.
    public let sigma: Double
    private let absoluteScaleSiemens: Double
    private let logSigma: Double
    /// For `perLevel`: the level means and their standard deviations, both in siemens.
    private let levelsSiemens: [Double]
    private let levelSigmaSiemens: [Double]

    /// Creates a relative, absolute or lognormal variation.
    ///
    /// - Throws: `DeviceModelError.invalidSigma` when sigma is negative or not finite.
    /// - Precondition: `model` is not `perLevel`, which needs its table.
    public init(model: VariationModel, sigma: Double, window: ConductanceWindow) throws(DeviceModelError) {
        precondition(model != .perLevel, "per-level variation needs its table of standard deviations")
        guard sigma.isFinite, sigma >= 0 else { throw .invalidSigma(sigma) }
        self.model = model
        self.sigma = sigma
        absoluteScaleSiemens = sigma * window.maximumSiemens
        logSigma = (log1p(sigma * sigma)).squareRoot()
        levelsSiemens = []
        levelSigmaSiemens = []
    }

    /// Creates a per-level variation: a cell whose target is level k draws
    /// G = max(0, G_k + scale * s_k * e).
    ///
    /// - Throws: `DeviceModelError.invalidSigma` for a negative or non-finite scale,
    ///   `.invalidLevelSigmaTable` unless there is one finite s_k >= 0 per level.
    public init(levels: ConductanceLevels, levelSigmaSiemens: [Double], scale: Double) throws(DeviceModelError) {
        guard scale.isFinite, scale >= 0 else { throw .invalidSigma(scale) }
        let values = levels.values
        guard levelSigmaSiemens.count == values.count, levelSigmaSiemens.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw .invalidLevelSigmaTable(levels: values.count, sigmas: levelSigmaSiemens)
        }
        model = .perLevel
        sigma = scale
        absoluteScaleSiemens = 0
        logSigma = 0
        levelsSiemens = values
        self.levelSigmaSiemens = levelSigmaSiemens.map { $0 * scale }
    }

    /// True when programming lands exactly on target, so no random numbers are drawn.
    public var isNone: Bool { sigma == 0 }

    /// Returns one programmed conductance for the target `siemens`.
    @inline(__always)
    public func program(_ siemens: Double, using generator: RandomGenerator) -> Double {
        if sigma == 0 { return siemens }
        let e = generator.standardNormal()
        switch model {
        case .relative:
            return max(0, siemens * (1 + sigma * e))
        case .absolute:
            return max(0, siemens + absoluteScaleSiemens * e)
        case .lognormal:
            return siemens * exp(logSigma * e - logSigma * logSigma / 2)
        case .perLevel:
            let k = ConductanceLevels.nearestIndex(of: siemens, in: levelsSiemens)
            return max(0, siemens + levelSigmaSiemens[k] * e)
        }
    }
}
