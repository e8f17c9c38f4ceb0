@testable import Crossbar
import DeviceModel
import Testing

/// The port solve (sparse forward solves through the driver and sense ends of the lines)
/// against the solve of every input's full right-hand side, on the same factorization.
@Suite struct PortSolveTests {
    @Test(arguments: [
        WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1),
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 0.5, driverOhms: 50, senseOhms: 20),
        WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 3, driverOhms: 10),
        WireResistance(wordLineSegmentOhms: 1.5, bitLineSegmentOhms: 0, senseOhms: 5),
        WireResistance(wordLineSegmentOhms: 0.5, bitLineSegmentOhms: 4, driverOhms: 0, senseOhms: 0),
    ])
    func portSolveMatchesFullSolve(wires: WireResistance) throws {
        for (rows, columns) in [(1, 5), (7, 1), (24, 17), (40, 64)] {
            let tile = CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 10e-6...100e-6,
                                                   generator: try RandomGenerator(seed: UInt64(rows * columns)))
            let network = TileNetwork(rows: rows, columns: columns, wires: wires)
            let system = NodalSystem(network: network, siemens: tile.plusSiemens)
            let cholesky = try SparseCholesky(analyzing: system.matrix)
            try cholesky.factorize(system.matrix)
            let ports = try #require(try network.solveThroughPorts(system, siemens: tile.plusSiemens, with: cholesky))
            let full = try network.solveWithFullRightHandSides(system, with: cholesky)
            let scale = full.effectiveSiemens.map(abs).max()!
            let worst = zip(ports.effectiveSiemens, full.effectiveSiemens).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-12 * scale, "\(rows) x \(columns): largest difference \(worst) S of \(scale) S")
            #expect(abs(ports.farCornerRelativeError - full.farCornerRelativeError) <= 1e-12)
        }
    }

    @Test func groundedColumnsFallBackToFullSolves() throws {
        let network = TileNetwork(rows: 4, columns: 3, wires: WireResistance(wordLineSegmentOhms: 1))
        #expect(network.senseSideExtractions(siemens: [Float](repeating: 1e-5, count: 12)) == nil)
    }
}

/// The Schur complement of the ports (`PortSolver`) against the solve of every input's full
/// right-hand side on the reduced network of `TileNetwork`.
@Suite struct PortSolverTests {
    @Test(arguments: [
        WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1),
        WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 0.5, driverOhms: 50, senseOhms: 20),
        WireResistance(wordLineSegmentOhms: 0.5, bitLineSegmentOhms: 4, driverOhms: 10),
        WireResistance(wordLineSegmentOhms: 3, bitLineSegmentOhms: 1.5, senseOhms: 5),
    ])
    func schurComplementMatchesFullSolve(wires: WireResistance) throws {
        for (rows, columns) in [(1, 1), (1, 5), (7, 1), (2, 2), (24, 17), (40, 64)] {
            let tile = CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 0...100e-6,
                                                   generator: try RandomGenerator(seed: UInt64(rows + columns)))
            let network = try #require(PortNetwork(rows: rows, columns: columns, wires: wires))
            let ports = try PortSolver(network: network).solve(tile.plusSiemens)
            let reduced = TileNetwork(rows: rows, columns: columns, wires: wires)
            let system = NodalSystem(network: reduced, siemens: tile.plusSiemens)
            let cholesky = try SparseCholesky(analyzing: system.matrix)
            try cholesky.factorize(system.matrix)
            let full = try reduced.solveWithFullRightHandSides(system, with: cholesky)
            let scale = full.effectiveSiemens.map(abs).max()!
            let worst = zip(ports.effectiveSiemens, full.effectiveSiemens).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-9 * scale, "\(rows) x \(columns): largest difference \(worst) S of \(scale) S")
            #expect(abs(ports.farCornerRelativeError - full.farCornerRelativeError) <= 1e-9,
                    "\(rows) x \(columns): far corner \(ports.farCornerRelativeError) against \(full.farCornerRelativeError)")
        }
    }

    @Test func zeroOhmSegmentsUseTheReducedNetwork() throws {
        #expect(PortNetwork(rows: 4, columns: 3, wires: WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 1)) == nil)
        #expect(PortNetwork(rows: 4, columns: 3, wires: WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 0)) == nil)
    }

    @Test func orderHasEveryNodeOnce() throws {
        let wires = WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1)
        var grid = GridNodes(rows: 9, columns: 6, wires: wires)
        let (order, cornerCount) = grid.eliminationOrder()
        // 2 x 9 x 6 grid nodes, of which the 9 driver ends and 6 sense ends are the ports.
        #expect(order.count == 2 * 9 * 6)
        #expect(Set(order).count == order.count)
        #expect(cornerCount == 2)
        // The ports come last: sense nodes, then inputs.
        #expect(Array(order.suffix(15)) == (0..<6).map(grid.sense) + (0..<9).map(grid.input))
    }

    @Test func patternEndsEachColumnWithDiagonal() throws {
        let network = try #require(PortNetwork(rows: 9, columns: 6, wires: WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1)))
        #expect(network.columnStart.count == network.nodeCount + 1)
        for column in 0..<network.nodeCount {
            #expect(network.rowIndex[network.columnStart[column + 1] - 1] == column, "column \(column)")
        }
    }
}
