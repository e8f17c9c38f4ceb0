/// The parasitic resistances around a crossbar tile, in ohms. Every value must be finite
/// and >= 0, and 0 means an ideal connection (a short, an ideal voltage source, or an
/// ideal virtual ground). All four at 0 is the ideal crossbar.
///
/// Word line i runs along row i from its driver at column 0; bit line j runs along column j
/// to its sense amplifier after row `rows - 1`. See docs/model.md, "Wire resistance and IR
/// drop", for the circuit and its equations.
public struct WireResistance: Sendable, Codable, Hashable {
    /// Resistance of the word-line segment between two adjacent cells of a row, in ohms.
    /// Default 0 (ideal wire).
    public var wordLineSegmentOhms: Double = 0
    /// Resistance of the bit-line segment between two adjacent cells of a column, in ohms.
    /// Default 0 (ideal wire).
    public var bitLineSegmentOhms: Double = 0
    /// Output resistance of each word-line driver, between the DAC voltage V_i and the
    /// word-line node of column 0, in ohms. Default 0 (ideal voltage source).
    public var driverOhms: Double = 0
    /// Input resistance of each sense amplifier, between the bit-line node of the last
    /// row and the amplifier's virtual ground at 0 V, in ohms. Default 0 (ideal virtual ground).
    public var senseOhms: Double = 0

    public init(wordLineSegmentOhms: Double = 0, bitLineSegmentOhms: Double = 0,
                driverOhms: Double = 0, senseOhms: Double = 0) {
        self.wordLineSegmentOhms = wordLineSegmentOhms
        self.bitLineSegmentOhms = bitLineSegmentOhms
        self.driverOhms = driverOhms
        self.senseOhms = senseOhms
    }

    /// No parasitic resistance at all: the tile computes I = V (G+ - G-) exactly.
    public static let ideal = WireResistance()

    /// True when all four resistances are 0 ohms.
    public var isIdeal: Bool {
        wordLineSegmentOhms == 0 && bitLineSegmentOhms == 0 && driverOhms == 0 && senseOhms == 0
    }

    /// Checks that every resistance is finite and >= 0 ohms.
    ///
    /// - Throws: `WireResistanceError.invalidResistance` naming the first bad key.
    public func validate() throws(WireResistanceError) {
        let values = [("wordLineSegmentOhms", wordLineSegmentOhms), ("bitLineSegmentOhms", bitLineSegmentOhms),
                      ("driverOhms", driverOhms), ("senseOhms", senseOhms)]
        for (key, ohms) in values where !(ohms.isFinite && ohms >= 0) {
            throw .invalidResistance(key: key, ohms: ohms)
        }
    }
}

/// A failure to solve a tile with wire resistance.
public enum WireResistanceError: Error, CustomStringConvertible, Equatable {
    /// A `WireResistance` value that is negative, infinite or NaN.
    case invalidResistance(key: String, ohms: Double)
    /// A cell conductance that is negative, infinite or NaN. `array` is "G+" or "G-".
    case invalidConductance(array: String, row: Int, column: Int, siemens: Float)
    /// CHOLMOD failed to factor or solve the nodal equations.
    case solverFailed(CHOLMODError)

    public var description: String {
        switch self {
        case let .invalidResistance(key, ohms):
            "wire resistance \(key) is \(ohms) ohms; give a finite value >= 0 (0 means an ideal connection)"
        case let .invalidConductance(array, row, column, siemens):
            "cell (\(row), \(column)) of \(array) has conductance \(siemens) S; the nodal solver needs finite values >= 0 S"
        case let .solverFailed(error):
            "solving the tile's nodal equations failed: \(error)"
        }
    }
}
