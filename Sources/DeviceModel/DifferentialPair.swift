/// Maps signed weights onto a differential pair of cells (G+, G-) so that the pair's
/// conductance difference is proportional to the weight:
///
///     dG = |w| / w_max * (Gmax - Gmin)
///     w >= 0:  G+ = Gmin + dG, G- = Gmin
///     w <  0:  G+ = Gmin,      G- = Gmin + dG
///
/// and each cell then snaps to its nearest conductance level. `w_max` is the layer's
/// largest weight magnitude, so the largest weight uses the whole window.
public struct DifferentialPairMapping: Sendable {
    public let levels: ConductanceLevels
    /// w_max, the weight magnitude that maps to Gmax - Gmin; positive.
    public let weightScale: Float

    /// - Precondition: `weightScale` is positive and finite.
    public init(levels: ConductanceLevels, weightScale: Float) {
        precondition(weightScale > 0 && weightScale.isFinite,
                     "the weight scale w_max must be positive and finite, got \(weightScale)")
        self.levels = levels
        self.weightScale = weightScale
    }

    /// Siemens of conductance difference per unit of weight: (Gmax - Gmin) / w_max.
    public var siemensPerWeight: Double { levels.window.spanSiemens / Double(weightScale) }

    /// The target conductances of the pair for `weight`, after snapping to levels.
    @inline(__always)
    public func targets(for weight: Float) -> (plusSiemens: Double, minusSiemens: Double) {
        let gmin = levels.window.minimumSiemens
        let high = levels.nearest(gmin + Double(abs(weight)) * siemensPerWeight)
        let low = levels.nearest(gmin)
        return weight >= 0 ? (high, low) : (low, high)
    }

    /// The weight a pair of conductances represents: (G+ - G-) / siemensPerWeight.
    public func weight(plusSiemens: Double, minusSiemens: Double) -> Double {
        (plusSiemens - minusSiemens) / siemensPerWeight
    }
}
