import Crossbar
import DeviceModel
import Foundation

/// The time to compute a tile's effective conductances with wire resistance, which a Monte
/// Carlo study with wire resistance pays once per tile per trial. `reram-emu crossbar bench`
/// prints it.
struct WireResistanceBench {
    var rows: Int
    var columns: Int
    var wires: WireResistance
    var repetitions: Int
    /// The fastest of `repetitions` solves of both arrays, in seconds.
    var bestSeconds: Double
    /// The mean of the same solves, in seconds.
    var meanSeconds: Double
    /// The tile's far-corner relative error, to show the size of the effect being computed.
    var farCornerRelativeError: Double

    /// Times `repetitions` calls of `solvingWireResistance` on one random tile (seed 1,
    /// conductances uniform in [10 uS, 100 uS]) on the calling thread, with OpenBLAS on one
    /// thread as in the Monte Carlo runner.
    ///
    /// - Throws: `WireResistanceError` from the solver, or `GSLError` from the generator.
    static func measure(rows: Int, columns: Int, wires: WireResistance, repetitions: Int) throws -> WireResistanceBench {
        let array = CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 10e-6...100e-6,
                                                generator: try RandomGenerator(seed: 1))
        BLAS.setThreadCount(1)
        var solution: WireResistanceSolution?
        var seconds = [Double]()
        for _ in 0..<repetitions {
            seconds.append(try BenchCommand.time { solution = try array.solvingWireResistance(wires) })
        }
        return WireResistanceBench(rows: rows, columns: columns, wires: wires, repetitions: repetitions,
                                   bestSeconds: seconds.min() ?? 0,
                                   meanSeconds: seconds.reduce(0, +) / Double(repetitions),
                                   farCornerRelativeError: solution?.worstFarCornerRelativeError ?? 0)
    }

    var summary: String {
        String(format: "wire resistance: %d x %d tile, segments %g / %g ohms, driver %g ohms, sense %g ohms: "
                   + "effective conductances of both arrays in %.1f ms (best of %d, mean %.1f ms), far-corner error %.2f %%",
               rows, columns, wires.wordLineSegmentOhms, wires.bitLineSegmentOhms, wires.driverOhms, wires.senseOhms,
               bestSeconds * 1000, repetitions, meanSeconds * 1000, farCornerRelativeError * 100)
    }
}
