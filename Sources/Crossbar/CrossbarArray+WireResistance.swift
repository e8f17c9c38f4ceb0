/// A tile solved with its wire resistance: the effective conductances that give its column
/// currents, and how much the far corner loses to IR drop.
public struct WireResistanceSolution: Sendable {
    /// The tile as the sense amplifiers see it. `plusSiemens` is M+ and `minusSiemens` is
    /// M-, the effective conductance matrices of the two arrays, and `differenceSiemens` is
    /// M = M+ - M-, so `columnCurrents` on it returns the currents with IR drop.
    public let effectiveArray: CrossbarArray
    /// Far-corner relative error of the G+ array, see `worstFarCornerRelativeError`.
    public let plusFarCornerRelativeError: Double
    /// Far-corner relative error of the G- array, see `worstFarCornerRelativeError`.
    public let minusFarCornerRelativeError: Double

    /// The larger far-corner relative error of the two arrays, a fraction (0.01 = 1 %).
    ///
    /// Definition: every word line is driven at the same voltage V, so that all cell
    /// currents add up in the wires (the usual worst case for non-negative inputs). The cell
    /// at word line 0 and bit line columns - 1 is the farthest from its driver and from its
    /// sense amplifier. It has u - w instead of V across it, so its current falls short of
    /// the ideal array's G V by the fraction 1 - (u - w) / V. By linearity, the fraction
    /// does not depend on V. It is 0 for the ideal tile.
    ///
    /// NOTE: this uses the tile's programmed conductances. A design-time bound would set
    /// every cell to the window's maximum conductance instead.
    public var worstFarCornerRelativeError: Double {
        max(plusFarCornerRelativeError, minusFarCornerRelativeError)
    }
}

extension WireResistance {
    /// Computes the design-time far-corner relative error of a tile with `rows` driven word
    /// lines and `columns` bit lines. Every cell is at `cellSiemens` (Gmax) and every input
    /// at the same voltage, so the wires carry the most current. The definition is that of
    /// `WireResistanceSolution.worstFarCornerRelativeError`.
    ///
    /// - Throws: as `CrossbarArray.solvingWireResistance(_:)`.
    /// - Complexity: one sparse factorization of 2 * rows * columns unknowns, by the same
    ///   method as `CrossbarArray.solvingWireResistance(_:)`.
    public func worstCaseFarCornerError(rows: Int, columns: Int, cellSiemens: Float) throws(WireResistanceError) -> Double {
        try validate()
        guard !isIdeal else { return 0 }
        guard cellSiemens.isFinite, cellSiemens >= 0 else {
            throw .invalidConductance(array: "G+", row: 0, column: 0, siemens: cellSiemens)
        }
        let siemens = [Float](repeating: cellSiemens, count: rows * columns)
        do {
            if let solved = try PortSolverPool.shared.solve([siemens], rows: rows, columns: columns, wires: self) {
                return solved[0].farCornerRelativeError
            }
            return try TileNetwork(rows: rows, columns: columns, wires: self).farCornerError(siemens)
        } catch {
            throw .solverFailed(error)
        }
    }
}

extension CrossbarArray {
    /// Solves the tile's circuit with wire, driver and sense resistance, both arrays of the
    /// differential pair separately.
    ///
    /// The network is linear, so the column currents are I = V M with one effective
    /// conductance matrix M per array, which depends only on the conductances and the
    /// wires. Each array is solved exactly by nodal analysis: one sparse Cholesky
    /// factorization (CHOLMOD) of its 2 * rows * columns node voltages, with the inputs and
    /// sense amplifiers last so that M comes from the factor's last rows (`PortSolver`).
    /// With a 0-ohm wire segment, M comes from forward solves or full solves on the
    /// reduced network instead (`TileNetwork`). Resistances of 0 ohms are exact shorts,
    /// ideal sources or ideal grounds: those nodes are merged or removed from the system,
    /// never replaced by a small resistance. When all four resistances are 0 the tile is
    /// returned unchanged without solving, so the ideal case is bit-for-bit the ideal crossbar.
    ///
    /// - Returns: the effective tile and the far-corner errors.
    /// - Throws: `WireResistanceError.invalidResistance` for a negative or non-finite
    ///   resistance, `.invalidConductance` for a negative or non-finite cell, and
    ///   `.solverFailed` when CHOLMOD fails.
    /// - Complexity: two sparse Cholesky factorizations of 2 * rows * columns unknowns and a
    ///   dense product of rows x columns x columns (see docs/model.md, section 10).
    ///   `reram-emu crossbar bench` measures the time of a 128 x 128 tile.
    public func solvingWireResistance(_ wires: WireResistance) throws(WireResistanceError) -> WireResistanceSolution {
        try wires.validate()
        guard !wires.isIdeal else {
            return WireResistanceSolution(effectiveArray: self, plusFarCornerRelativeError: 0,
                                          minusFarCornerRelativeError: 0)
        }
        try Self.checkConductances(plusSiemens, array: "G+", columns: columns)
        try Self.checkConductances(minusSiemens, array: "G-", columns: columns)

        let arrays = [plusSiemens, minusSiemens]
        let solutions: [ArraySolution]
        do {
            if let solved = try PortSolverPool.shared.solve(arrays, rows: rows, columns: columns, wires: wires) {
                solutions = solved
            } else {
                solutions = try TileNetwork(rows: rows, columns: columns, wires: wires).solve(arrays)
            }
        } catch {
            throw .solverFailed(error)
        }
        let plus = solutions[0], minus = solutions[1]
        let effective = CrossbarArray(rows: rows, columns: columns,
                                      plusSiemens: plus.effectiveSiemens.map(Float.init),
                                      minusSiemens: minus.effectiveSiemens.map(Float.init))
        return WireResistanceSolution(effectiveArray: effective,
                                      plusFarCornerRelativeError: plus.farCornerRelativeError,
                                      minusFarCornerRelativeError: minus.farCornerRelativeError)
    }

    /// Returns the tile as its sense amplifiers see it with `wires`: a `CrossbarArray` whose
    /// conductances are the effective matrices M+ and M-, to pass to `columnCurrents`.
    /// For `WireResistance.ideal` the result is `self` unchanged.
    ///
    /// - Throws: as `solvingWireResistance(_:)`.
    public func withWireResistance(_ wires: WireResistance) throws(WireResistanceError) -> CrossbarArray {
        try solvingWireResistance(wires).effectiveArray
    }

    /// Computes the effective differential conductance matrix M = M+ - M-, rows x columns,
    /// row-major, in siemens: I_j = sum_i V_i M_ij. For `WireResistance.ideal` it is
    /// `differenceSiemens` unchanged.
    ///
    /// - Throws: as `solvingWireResistance(_:)`.
    public func effectiveDifferenceSiemens(_ wires: WireResistance) throws(WireResistanceError) -> [Float] {
        try solvingWireResistance(wires).effectiveArray.differenceSiemens
    }

    private static func checkConductances(_ siemens: [Float], array: String, columns: Int) throws(WireResistanceError) {
        if let index = siemens.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw .invalidConductance(array: array, row: index / columns, column: index % columns,
                                      siemens: siemens[index])
        }
    }
}
