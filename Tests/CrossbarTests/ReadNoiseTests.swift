import Crossbar
import DeviceModel
import Testing

@Suite struct ReadNoiseTests {
    /// Returns a random 32 x 8 tile, ready for read noise, and one input vector.
    func tile() throws -> (CrossbarArray, [Float]) {
        let generator = try RandomGenerator(seed: 4)
        let array = CrossbarArray.uniformRandom(rows: 32, columns: 8, siemens: 10e-6...100e-6, generator: generator)
        let voltages = (0..<32).map { _ in Float(-0.2 + 0.4 * generator.uniform()) }
        return (array.preparingReadNoise(), voltages)
    }

    @Test func columnNoiseHasExpectedVariance() throws {
        let (array, voltages) = try tile()
        let sigma: Float = 0.05
        let noise = ReadNoise(relativeSigma: sigma, generator: try RandomGenerator(seed: 8))
        var clean = [Float](repeating: 0, count: 8)
        array.columnCurrents(voltages: voltages, voltageStride: 32, batch: 1, output: &clean, outputStride: 8)
        let reads = 20_000
        var sums = [Double](repeating: 0, count: 8)
        var squares = [Double](repeating: 0, count: 8)
        var noisy = [Float](repeating: 0, count: 8)
        for _ in 0..<reads {
            array.columnCurrents(voltages: voltages, voltageStride: 32, batch: 1, output: &noisy, outputStride: 8,
                                 readNoise: noise)
            for j in 0..<8 {
                let deviation = Double(noisy[j] - clean[j])
                sums[j] += deviation
                squares[j] += deviation * deviation
            }
        }
        for j in 0..<8 {
            // Var I_j = sigma_r^2 * sum_i V_i^2 (G+_ij^2 + G-_ij^2) for the differential current.
            var expected = 0.0
            for i in 0..<32 {
                let v = Double(voltages[i])
                let plus = Double(array.plusSiemens[i * 8 + j])
                let minus = Double(array.minusSiemens[i * 8 + j])
                expected += v * v * (plus * plus + minus * minus)
            }
            expected *= Double(sigma * sigma)
            let mean = sums[j] / Double(reads)
            let variance = squares[j] / Double(reads) - mean * mean
            // The sample variance of 20,000 normal draws is within 3 % of the true one at about 4 sigma.
            #expect(abs(variance / expected - 1) < 0.03, "column \(j): variance \(variance) A^2, expected \(expected) A^2")
        }
    }

    @Test func noiseFreeReadsRepeatExactly() throws {
        let (array, voltages) = try tile()
        var first = [Float](repeating: 0, count: 8)
        var second = [Float](repeating: 0, count: 8)
        array.columnCurrents(voltages: voltages, voltageStride: 32, batch: 1, output: &first, outputStride: 8)
        array.columnCurrents(voltages: voltages, voltageStride: 32, batch: 1, output: &second, outputStride: 8)
        #expect(first == second)
    }
}
