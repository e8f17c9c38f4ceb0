import DeviceModel

/// Squared conductances of a tile, in siemens squared, for the variance of read noise.
public struct SquaredConductances: Sendable {
    /// (G+)^2 of every cell, row-major.
    public let plus: [Float]
    /// (G-)^2 of every cell.
    public let minus: [Float]
    /// (G+)^2 + (G-)^2: the two cells of a pair are read with independent noise.
    public let sum: [Float]
}

/// Read noise: every cell's conductance is G * (1 + sigma_r * e) on every read, with
/// e ~ N(0, 1) fresh per cell and per read. A column current is a sum of independent
/// Gaussian terms, so its noise is exactly Gaussian with variance
/// sigma_r^2 * sum_i V_i^2 * G_ij^2; it is drawn per column from one extra GEMM of squared
/// voltages with squared conductances instead of per cell.
public struct ReadNoise {
    /// sigma_r, the relative standard deviation of a cell's conductance on one read.
    public let relativeSigma: Float
    /// The stream of one (trial, image batch); not safe to share between threads.
    public let generator: RandomGenerator

    /// The label chained after a trial's seed (then the image batch) for read-noise streams.
    public static let streamLabel: UInt64 = 0x5245_4144_0000_0003

    public init(relativeSigma: Float, generator: RandomGenerator) {
        self.relativeSigma = relativeSigma
        self.generator = generator
    }
}

extension CrossbarArray {
    /// Returns the same tile with its squared conductances stored, as read noise needs.
    // NOTE: the effective tile of `solvingWireResistance` has no squared conductances, and the
    // squares of its effective conductances are not the cells' own, so read noise with IR drop
    // is not modeled.
    public func preparingReadNoise() -> CrossbarArray {
        var copy = self
        let plus = plusSiemens.map { $0 * $0 }
        let minus = minusSiemens.map { $0 * $0 }
        copy.squaredSiemens = SquaredConductances(plus: plus, minus: minus, sum: zip(plus, minus).map { $0 + $1 })
        return copy
    }

    /// Adds scale * sigma_r * sqrt(sum_i V_i^2 G_ij^2) * e to every output current.
    // NOTE: read noise makes a trial about 3.6 x as slow (MNIST bench, 8-bit ADC, release build):
    // the variance GEMM alone doubles the product, and one Gaussian draw per column and tile adds
    // the rest, so the 2 x target is not met.
    func addReadNoise(_ noise: ReadNoise, voltages: UnsafePointer<Float>, voltageStride: Int,
                      voltagesTransposed: Bool, batch: Int,
                      output: UnsafeMutablePointer<Float>, outputStride: Int,
                      selection: ConductanceSelection, scale: Float) {
        guard let squares = squaredSiemens else {
            preconditionFailure("a tile read with noise needs its squared conductances; call preparingReadNoise() after programming")
        }
        let squaredVoltages = UnsafeMutablePointer<Float>.allocate(capacity: batch * rows)
        let variances = UnsafeMutablePointer<Float>.allocate(capacity: batch * columns)
        defer {
            squaredVoltages.deallocate()
            variances.deallocate()
        }
        for b in 0..<batch {
            for i in 0..<rows {
                let v = voltagesTransposed ? voltages[i * voltageStride + b] : voltages[b * voltageStride + i]
                squaredVoltages[b * rows + i] = v * v
            }
        }
        let conductances: [Float] = switch selection {
        case .difference: squares.sum
        case .plus: squares.plus
        case .minus: squares.minus
        }
        conductances.withUnsafeBufferPointer { g in
            BLAS.sgemm(m: batch, n: columns, k: rows, a: squaredVoltages, lda: rows,
                       b: g.baseAddress!, ldb: columns, c: variances, ldc: columns)
        }
        let factor = scale * noise.relativeSigma
        for b in 0..<batch {
            for j in 0..<columns {
                let deviation = max(0, variances[b * columns + j]).squareRoot()
                output[b * outputStride + j] += factor * deviation * Float(noise.generator.standardNormal())
            }
        }
    }
}
