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
}

/// Cycle-to-cycle programming variation, drawn once for every cell each time it is
/// programmed, with e ~ N(0, 1) from GSL. Results below 0 S are clamped to 0 S.
public struct ProgrammingVariation: Sendable {
    public let model: VariationModel
    /// Standard deviation in relative units: of G0 (relative, lognormal) or of Gmax (absolute).
    public let sigma: Double
    private let absoluteScaleSiemens: Double
    private let logSigma: Double

    /// - Throws: `DeviceModelError.invalidSigma` when sigma is negative or not finite.
    public init(model: VariationModel, sigma: Double, window: ConductanceWindow) throws(DeviceModelError) {
        guard sigma.isFinite, sigma >= 0 else { throw .invalidSigma(sigma) }
        self.model = model
        self.sigma = sigma
        absoluteScaleSiemens = sigma * window.maximumSiemens
        logSigma = (log1p(sigma * sigma)).squareRoot()
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
        }
    }
}
