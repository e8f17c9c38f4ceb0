import DeviceModel

/// Which conductances of a differential array a product uses.
public enum ConductanceSelection: Sendable {
    /// G+ - G-: one differential current per column.
    case difference
    /// G+ alone, for a column ADC of its own on the positive array.
    case plus
    /// G- alone.
    case minus
}

/// One programmed crossbar tile of `rows` x `columns` differential cells. Row i is
/// word line i, driven by input i; column j is bit line j, summing the current of
/// every cell on it. Conductances are stored row-major in siemens.
public struct CrossbarArray: Sendable {
    public let rows: Int
    public let columns: Int
    /// G+ of every cell, rows x columns, in siemens.
    public let plusSiemens: [Float]
    /// G- of every cell, rows x columns, in siemens.
    public let minusSiemens: [Float]
    /// G+ - G- of every cell, kept so the differential product is one GEMM.
    public let differenceSiemens: [Float]
    /// Squared conductances for the read-noise variance, set by `preparingReadNoise()`.
    public internal(set) var squaredSiemens: SquaredConductances?

    /// - Precondition: both arrays hold rows * columns conductances.
    public init(rows: Int, columns: Int, plusSiemens: [Float], minusSiemens: [Float]) {
        precondition(rows > 0 && columns > 0, "a crossbar needs at least one row and one column")
        precondition(plusSiemens.count == rows * columns && minusSiemens.count == rows * columns,
                     "conductance arrays must hold \(rows) x \(columns) cells")
        self.rows = rows
        self.columns = columns
        self.plusSiemens = plusSiemens
        self.minusSiemens = minusSiemens
        differenceSiemens = zip(plusSiemens, minusSiemens).map { $0 - $1 }
    }

    /// Programs a tile from a weight block: weight (i, j) is read at
    /// `weights[i * weightStride + j]` and becomes the pair at row i, column j.
    /// Each cell draws its own programming variation from `generator`, row by row.
    public static func program(
        weights: UnsafePointer<Float>, weightStride: Int, rows: Int, columns: Int,
        mapping: DifferentialPairMapping, variation: ProgrammingVariation,
        generator: RandomGenerator
    ) -> CrossbarArray {
        let cells = CellProgramming(window: mapping.levels.window, variation: variation)
        var faults = FaultCounts()
        return program(weights: weights, weightStride: weightStride, rows: rows, columns: columns,
                       mapping: mapping, cells: cells, streams: ProgrammingStreams(programming: generator),
                       faults: &faults)
    }

    /// Programs a tile as above with the whole cell model: variation, drift and stuck-at
    /// faults. Cells are programmed row by row, G+ before G- in each pair, so variation is
    /// drawn in the same order as without drift or faults. Stuck cells are added to `faults`.
    public static func program(
        weights: UnsafePointer<Float>, weightStride: Int, rows: Int, columns: Int,
        mapping: DifferentialPairMapping, cells: CellProgramming, streams: ProgrammingStreams,
        faults: inout FaultCounts
    ) -> CrossbarArray {
        var plus = [Float](repeating: 0, count: rows * columns)
        var minus = [Float](repeating: 0, count: rows * columns)
        func count(_ fault: CellFault) {
            switch fault {
            case .none: break
            case .stuckOff: faults.stuckOff += 1
            case .stuckOn: faults.stuckOn += 1
            }
        }
        for i in 0..<rows {
            for j in 0..<columns {
                let target = mapping.targets(for: weights[i * weightStride + j])
                let high = cells.program(target.plusSiemens, streams: streams)
                let low = cells.program(target.minusSiemens, streams: streams)
                plus[i * columns + j] = Float(high.siemens)
                minus[i * columns + j] = Float(low.siemens)
                count(high.fault)
                count(low.fault)
            }
        }
        faults.cells += 2 * rows * columns
        return CrossbarArray(rows: rows, columns: columns, plusSiemens: plus, minusSiemens: minus)
    }

    /// Computes the column currents of a batch of input vectors with one GEMM:
    /// I[b, j] = sum_i V[b, i] * G[i, j], in amperes for voltages in volts.
    ///
    /// - Parameters:
    ///   - voltages: `batch` rows of `rows` voltages each, row b starting at
    ///     `voltages + b * voltageStride`.
    ///   - output: `batch` rows of `columns` currents, row b at `output + b * outputStride`.
    ///   - scale: multiplies every current, for a digital gain fused into the product.
    ///   - accumulate: adds to `output` instead of overwriting it.
    ///   - readNoise: when given, adds every cell's read noise to the currents (see
    ///     `ReadNoise`); the tile must come from `preparingReadNoise()`.
    ///   - voltagesTransposed: the voltages are stored one word line after another instead:
    ///     the voltage of input b on row i at `voltages + i * voltageStride + b`.
    public func columnCurrents(
        voltages: UnsafePointer<Float>, voltageStride: Int, batch: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int,
        selection: ConductanceSelection = .difference, scale: Float = 1, accumulate: Bool = false,
        readNoise: ReadNoise? = nil, voltagesTransposed: Bool = false
    ) {
        let conductances: [Float] = switch selection {
        case .difference: differenceSiemens
        case .plus: plusSiemens
        case .minus: minusSiemens
        }
        conductances.withUnsafeBufferPointer { g in
            BLAS.sgemmInRowBlocks(m: batch, n: columns, k: rows, alpha: scale,
                                  a: voltages, lda: voltageStride, transposeA: voltagesTransposed,
                                  b: g.baseAddress!, ldb: columns,
                                  beta: accumulate ? 1 : 0,
                                  c: output, ldc: outputStride)
        }
        if let readNoise {
            addReadNoise(readNoise, voltages: voltages, voltageStride: voltageStride, voltagesTransposed: voltagesTransposed,
                         batch: batch, output: output, outputStride: outputStride, selection: selection, scale: scale)
        }
    }
}
