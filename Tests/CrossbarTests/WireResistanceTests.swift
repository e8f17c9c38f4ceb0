import Crossbar
import DeviceModel
import Testing

@Suite struct WireResistanceTests {
    /// Currents of `array` for one input vector, with the given selection.
    func currents(_ array: CrossbarArray, _ voltages: [Float], _ selection: ConductanceSelection = .difference) -> [Float] {
        var output = [Float](repeating: 0, count: array.columns)
        voltages.withUnsafeBufferPointer { v in
            output.withUnsafeMutableBufferPointer { i in
                array.columnCurrents(voltages: v.baseAddress!, voltageStride: array.rows, batch: 1,
                                     output: i.baseAddress!, outputStride: array.columns, selection: selection)
            }
        }
        return output
    }

    func randomTile(_ rows: Int, _ columns: Int, seed: UInt64) throws -> CrossbarArray {
        CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 10e-6...100e-6,
                                    generator: try RandomGenerator(seed: seed))
    }

    @Test func idealWiresReturnIdealCurrents() throws {
        let array = try randomTile(16, 12, seed: 7)
        let voltages = (0..<16).map { Float($0 - 8) / 40 }
        let wired = try array.withWireResistance(.ideal)
        #expect(wired.differenceSiemens == array.differenceSiemens)
        #expect(try array.effectiveDifferenceSiemens(WireResistance()) == array.differenceSiemens)
        #expect(currents(wired, voltages) == currents(array, voltages))
        #expect(currents(wired, voltages, .plus) == currents(array, voltages, .plus))
        #expect(try array.solvingWireResistance(.ideal).worstFarCornerRelativeError == 0)
    }

    @Test(arguments: [
        // (driver, sense): a single cell in series with both.
        (100.0, 50.0),
        (0.0, 50.0),    // ideal driver: the input node is eliminated
        (100.0, 0.0),   // ideal virtual ground: the sense node is eliminated
    ])
    func singleCellIsSeriesCircuit(driverOhms: Double, senseOhms: Double) throws {
        let g: Float = 40e-6
        let array = CrossbarArray(rows: 1, columns: 1, plusSiemens: [g], minusSiemens: [0])
        let wires = WireResistance(wordLineSegmentOhms: 3, bitLineSegmentOhms: 3,
                                   driverOhms: driverOhms, senseOhms: senseOhms)
        let solution = try array.solvingWireResistance(wires)
        let expected = 1 / (driverOhms + 1 / Double(g) + senseOhms)
        let effective = Double(solution.effectiveArray.plusSiemens[0])
        #expect(abs(effective - expected) <= 1e-6 * expected, "M = \(effective) S, expected \(expected) S")
        #expect(solution.effectiveArray.minusSiemens == [0])
    }

    @Test func oneRowLadderMatchesHandSolution() throws {
        // One row, two columns, sense amplifiers at 0 ohms, so the bit-line nodes are ground.
        // u0 = gd / (gd + G0 + 1 / (r + 1 / G1)) per volt, u1 = u0 / (1 + r G1), I_j = G_j u_j.
        let g0 = 50e-6, g1 = 80e-6, r = 2000.0, driver = 500.0
        let array = CrossbarArray(rows: 1, columns: 2, plusSiemens: [Float(g0), Float(g1)], minusSiemens: [0, 0])
        let wires = WireResistance(wordLineSegmentOhms: r, bitLineSegmentOhms: 1, driverOhms: driver, senseOhms: 0)
        let m = try array.withWireResistance(wires).plusSiemens

        let gd = 1 / driver
        let u0 = gd / (gd + Double(Float(g0)) + 1 / (r + 1 / Double(Float(g1))))
        let u1 = u0 / (1 + r * Double(Float(g1)))
        let expected = [Double(Float(g0)) * u0, Double(Float(g1)) * u1]
        for j in 0..<2 {
            #expect(abs(Double(m[j]) - expected[j]) <= 1e-6 * expected[j], "column \(j): \(m[j]) S, expected \(expected[j]) S")
        }
    }

    @Test(arguments: [
        // Each case sets one resistance to 0 ohms and compares with 1e-6 ohms there.
        WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 2, driverOhms: 20, senseOhms: 10),
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 0, driverOhms: 20, senseOhms: 10),
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 2, driverOhms: 0, senseOhms: 10),
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 2, driverOhms: 20, senseOhms: 0),
        // Only the wires: ideal drivers and sense amplifiers.
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 2, driverOhms: 0, senseOhms: 0),
        // Only the drivers and sense amplifiers: rows and columns collapse to one node each.
        WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 0, driverOhms: 20, senseOhms: 10),
    ])
    func zeroOhmsIsLimitOfSmallOhms(wires: WireResistance) throws {
        let array = try randomTile(6, 9, seed: 11)
        func nudged(_ ohms: Double) -> Double { ohms == 0 ? 1e-6 : ohms }
        let nearly = WireResistance(wordLineSegmentOhms: nudged(wires.wordLineSegmentOhms),
                                    bitLineSegmentOhms: nudged(wires.bitLineSegmentOhms),
                                    driverOhms: nudged(wires.driverOhms), senseOhms: nudged(wires.senseOhms))
        let exact = try array.withWireResistance(wires)
        let limit = try array.withWireResistance(nearly)
        for (index, (a, b)) in zip(exact.plusSiemens, limit.plusSiemens).enumerated() {
            #expect(abs(a - b) <= 1e-5 * abs(b), "cell \(index): \(a) S with 0 ohms, \(b) S with 1e-6 ohms")
        }
    }

    @Test func farCornerErrorGrowsWithWireResistance() throws {
        let array = try randomTile(32, 32, seed: 3)
        var previous = 0.0
        for ohms in [0.5, 1.0, 2.0, 5.0] {
            let wires = WireResistance(wordLineSegmentOhms: ohms, bitLineSegmentOhms: ohms)
            let error = try array.solvingWireResistance(wires).worstFarCornerRelativeError
            #expect(error > previous, "\(ohms) ohms per segment: far-corner error \(error), below \(previous) at less resistance")
            #expect(error < 1)
            previous = error
        }
    }

    @Test func worstCaseBoundMatchesFullSolveAndGrowsWithSize() throws {
        let wires = WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1.5, driverOhms: 10, senseOhms: 5)
        let gmax: Float = 100e-6
        let uniform = CrossbarArray(rows: 24, columns: 40, plusSiemens: [Float](repeating: gmax, count: 24 * 40),
                                    minusSiemens: [Float](repeating: gmax / 10, count: 24 * 40))
        let full = try uniform.solvingWireResistance(wires).plusFarCornerRelativeError
        let bound = try wires.worstCaseFarCornerError(rows: 24, columns: 40, cellSiemens: gmax)
        #expect(abs(bound - full) <= 1e-12, "bound \(bound), full solve \(full)")
        var previous = 0.0
        for size in [8, 16, 32, 64] {
            let error = try wires.worstCaseFarCornerError(rows: size, columns: size, cellSiemens: gmax)
            #expect(error > previous, "\(size) x \(size): \(error)")
            #expect(error < 1, "\(size) x \(size): \(error)")
            previous = error
        }
        #expect(try WireResistance.ideal.worstCaseFarCornerError(rows: 64, columns: 64, cellSiemens: gmax) == 0)
    }

    @Test func farCornerErrorOfSingleCell() throws {
        // One cell: u - w = V * (1 / G) / (Rd + 1 / G + Rs), so the error is G (Rd + Rs) / (1 + G (Rd + Rs)).
        let g: Float = 100e-6
        let array = CrossbarArray(rows: 1, columns: 1, plusSiemens: [g], minusSiemens: [g / 2])
        let solution = try array.solvingWireResistance(WireResistance(driverOhms: 300, senseOhms: 200))
        let series = Double(g) * 500
        let expected = series / (1 + series)
        #expect(abs(solution.plusFarCornerRelativeError - expected) <= 1e-9)
        #expect(solution.worstFarCornerRelativeError == solution.plusFarCornerRelativeError)
    }

    @Test(arguments: [
        (WireResistance(wordLineSegmentOhms: -1), "wordLineSegmentOhms is -1.0 ohms"),
        (WireResistance(bitLineSegmentOhms: .nan), "bitLineSegmentOhms is nan ohms"),
        (WireResistance(driverOhms: .infinity), "driverOhms is inf ohms"),
        (WireResistance(senseOhms: -0.5), "senseOhms is -0.5 ohms"),
    ])
    func invalidResistanceIsRejected(wires: WireResistance, message: String) throws {
        let array = try randomTile(2, 2, seed: 1)
        let error = #expect(throws: WireResistanceError.self) { try array.withWireResistance(wires) }
        #expect(error?.description.contains(message) == true, "message: \(error?.description ?? "none")")
    }

    @Test func negativeConductanceIsRejected() {
        let array = CrossbarArray(rows: 2, columns: 2, plusSiemens: [1e-5, 1e-5, 1e-5, 1e-5],
                                  minusSiemens: [1e-5, 1e-5, -2e-5, 1e-5])
        #expect(throws: WireResistanceError.invalidConductance(array: "G-", row: 1, column: 0, siemens: -2e-5)) {
            try array.withWireResistance(WireResistance(wordLineSegmentOhms: 1))
        }
    }
}
