import Crossbar
import DeviceModel
import Testing

@Suite struct CrossbarArrayTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    @Test func columnCurrentsAreOhmAndKirchhoff() {
        // 2 rows x 3 columns; I_j = sum_i V_i * (G+_ij - G-_ij).
        let array = CrossbarArray(rows: 2, columns: 3,
                                  plusSiemens: [50e-6, 10e-6, 30e-6, 10e-6, 80e-6, 10e-6],
                                  minusSiemens: [10e-6, 40e-6, 10e-6, 60e-6, 10e-6, 10e-6])
        let voltages: [Float] = [0.2, -0.1]
        var currents = [Float](repeating: 0, count: 3)
        voltages.withUnsafeBufferPointer { v in
            currents.withUnsafeMutableBufferPointer { i in
                array.columnCurrents(voltages: v.baseAddress!, voltageStride: 2, batch: 1,
                                     output: i.baseAddress!, outputStride: 3)
            }
        }
        let expected: [Float] = [0.2 * 40e-6 - 0.1 * -50e-6, 0.2 * -30e-6 - 0.1 * 70e-6, 0.2 * 20e-6]
        for j in 0..<3 {
            #expect(abs(currents[j] - expected[j]) < 1e-12, "column \(j): \(currents[j]) A, expected \(expected[j]) A")
        }
    }

    @Test func programmingSnapsEveryCellToALevel() throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(8))
        let mapping = DifferentialPairMapping(levels: levels, weightScale: 1)
        let variation = try ProgrammingVariation(model: .relative, sigma: 0, window: window)
        let weights = (0..<64).map { Float($0 - 32) / 32 }
        let array = weights.withUnsafeBufferPointer {
            CrossbarArray.program(weights: $0.baseAddress!, weightStride: 8, rows: 8, columns: 8,
                                  mapping: mapping, variation: variation, generator: try! RandomGenerator(seed: 1))
        }
        let allowed = levels.values.map(Float.init)
        for g in array.plusSiemens + array.minusSiemens {
            #expect(allowed.contains { abs($0 - g) <= 1e-12 }, "\(g) S is not a level")
        }
    }

    @Test func sameSeedProgramsSameArray() throws {
        let levels = try ConductanceLevels(window: window, count: .unquantized)
        let mapping = DifferentialPairMapping(levels: levels, weightScale: 1)
        let variation = try ProgrammingVariation(model: .relative, sigma: 0.05, window: window)
        let weights = (0..<16).map { Float($0) / 16 }
        func program(_ seed: UInt64) throws -> [Float] {
            let generator = try RandomGenerator(seed: seed)
            return weights.withUnsafeBufferPointer {
                CrossbarArray.program(weights: $0.baseAddress!, weightStride: 4, rows: 4, columns: 4,
                                      mapping: mapping, variation: variation, generator: generator).plusSiemens
            }
        }
        #expect(try program(3) == program(3))
        #expect(try program(3) != program(4))
    }
}
