/// The programmable conductance range of one ReRAM cell, [Gmin, Gmax] in siemens.
public struct ConductanceWindow: Equatable, Sendable {
    /// Gmin, the conductance of the high-resistance (off) state, in siemens.
    public let minimumSiemens: Double
    /// Gmax, the conductance of the low-resistance (on) state, in siemens.
    public let maximumSiemens: Double

    /// Creates a window from conductances in siemens.
    ///
    /// - Throws: `DeviceModelError.invalidWindow` unless 0 <= Gmin < Gmax and both are finite.
    public init(minimumSiemens: Double, maximumSiemens: Double) throws(DeviceModelError) {
        guard minimumSiemens.isFinite, maximumSiemens.isFinite,
              minimumSiemens >= 0, minimumSiemens < maximumSiemens
        else {
            throw .invalidWindow(minimumSiemens: minimumSiemens, maximumSiemens: maximumSiemens)
        }
        self.minimumSiemens = minimumSiemens
        self.maximumSiemens = maximumSiemens
    }

    /// Creates a window from the on (Ron) and off (Roff) resistances in ohms:
    /// Gmax = 1 / Ron and Gmin = 1 / Roff.
    public init(onResistanceOhms: Double, offResistanceOhms: Double) throws(DeviceModelError) {
        guard onResistanceOhms > 0, offResistanceOhms > onResistanceOhms else {
            throw .invalidResistance(onOhms: onResistanceOhms, offOhms: offResistanceOhms)
        }
        try self.init(minimumSiemens: 1 / offResistanceOhms, maximumSiemens: 1 / onResistanceOhms)
    }

    /// Creates a window from Gmax and the dynamic range Gmax / Gmin.
    public init(maximumSiemens: Double, dynamicRange: Double) throws(DeviceModelError) {
        guard dynamicRange > 1, dynamicRange.isFinite else {
            throw .invalidDynamicRange(dynamicRange)
        }
        try self.init(minimumSiemens: maximumSiemens / dynamicRange, maximumSiemens: maximumSiemens)
    }

    /// Gmax - Gmin, the largest conductance difference of a differential pair, in siemens.
    public var spanSiemens: Double { maximumSiemens - minimumSiemens }

    /// Gmax / Gmin, infinite when Gmin is 0.
    public var dynamicRange: Double { maximumSiemens / minimumSiemens }
}

/// Invalid device parameters, each message naming the value and the valid range.
public enum DeviceModelError: Error, Equatable, CustomStringConvertible {
    case invalidWindow(minimumSiemens: Double, maximumSiemens: Double)
    case invalidResistance(onOhms: Double, offOhms: Double)
    case invalidDynamicRange(Double)
    case invalidLevelCount(Int)
    case invalidSigma(Double)
    case invalidLevelList([Double])
    case invalidLevelSigmaTable(levels: Int, sigmas: [Double])
    case invalidRate(name: String, value: Double)
    case invalidDrift(String)

    public var description: String {
        switch self {
        case let .invalidWindow(gmin, gmax):
            "invalid conductance window Gmin = \(gmin) S, Gmax = \(gmax) S: need 0 <= Gmin < Gmax"
        case let .invalidResistance(on, off):
            "invalid resistances Ron = \(on) ohm, Roff = \(off) ohm: need 0 < Ron < Roff"
        case let .invalidDynamicRange(range):
            "invalid dynamic range \(range): Gmax / Gmin must be a finite number above 1"
        case let .invalidLevelCount(count):
            "invalid level count \(count): a cell needs at least 2 conductance levels"
        case let .invalidSigma(sigma):
            "invalid variation sigma \(sigma): must be finite and >= 0"
        case let .invalidLevelList(values):
            "invalid level list \(values): need at least 2 finite conductances >= 0 S in strictly ascending order"
        case let .invalidLevelSigmaTable(levels, sigmas):
            "invalid per-level sigma table \(sigmas): need one finite standard deviation >= 0 S for each of the \(levels) levels"
        case let .invalidRate(name, value):
            "invalid \(name) \(value): must be a fraction from 0 to 1"
        case let .invalidDrift(reason):
            "invalid drift: \(reason)"
        }
    }
}
