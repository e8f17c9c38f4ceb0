import Crossbar
import Peripherals

/// Computes the product of a batch of input rows with one layer's weight matrix.
/// The float reference and the emulated crossbar tiles are the two implementations.
public protocol MatrixEngine {
    /// Writes output (rowCount x matrix.columns) = input (rowCount x matrix.rows) * W,
    /// without the bias, for the weight layer at `operationIndex` in the network. With
    /// `inputTransposed`, the input is stored matrix.rows x rowCount (im2col patches).
    func multiply(operationIndex: Int, matrix: WeightMatrix, input: UnsafePointer<Float>,
                  rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>)

    /// Converts a convolution's whole input tensor into the cycles it is applied in, before
    /// im2col. An elementwise converter that maps 0 to 0 V gives the same patches either
    /// way, and each pixel is converted once instead of once per kernel position. Returns
    /// nil when the engine multiplies input values as they are.
    func inputCycles(operationIndex: Int, _ input: [Float]) -> [VoltagePlane]?

    /// Adds `weight` times the product of converted word-line voltages (from `inputCycles`,
    /// unfolded) with the layer's tiles to `output` (rowCount x matrix.columns).
    func accumulateCycle(operationIndex: Int, matrix: WeightMatrix, volts: UnsafePointer<Float>, weight: Float,
                         rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>)

    /// Whether a convolution may unfold and multiply its batch a few samples at a time
    /// (`ConvolutionGeometry.samplesPerUnfold`) instead of all at once. An engine that
    /// records a sample of every call returns false.
    var unfoldsPartialBatches: Bool { get }
}

extension MatrixEngine {
    public var unfoldsPartialBatches: Bool { true }

    public func inputCycles(operationIndex: Int, _ input: [Float]) -> [VoltagePlane]? { nil }

    public func accumulateCycle(operationIndex: Int, matrix: WeightMatrix, volts: UnsafePointer<Float>, weight: Float,
                                rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>) {
        preconditionFailure("an engine without inputCycles has no cycles to accumulate")
    }
}

/// The float reference: one sgemm with the layer's weights.
public struct FloatEngine: MatrixEngine {
    public init() {}

    public func multiply(operationIndex: Int, matrix: WeightMatrix, input: UnsafePointer<Float>,
                         rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>) {
        matrix.values.withUnsafeBufferPointer { w in
            BLAS.sgemm(m: rowCount, n: matrix.columns, k: matrix.rows,
                       a: input, lda: inputTransposed ? rowCount : matrix.rows, transposeA: inputTransposed,
                       b: w.baseAddress!, ldb: matrix.columns,
                       c: output, ldc: matrix.columns)
        }
    }
}

extension Network {
    /// Runs the network on a batch. `observe`, when given, sees every operation's output
    /// with the operation's index, for per-layer statistics.
    public func forward(_ input: Activations, engine: some MatrixEngine,
                        observe: ((Int, Activations) -> Void)? = nil) -> Activations {
        var x = input
        for (index, operation) in operations.enumerated() {
            apply(operation, at: index, to: &x, engine: engine)
            observe?(index, x)
        }
        return x
    }

    /// Applies one operation to `x` in place, so that elementwise operations such as ReLU
    /// reuse the activation buffer instead of copying it.
    private func apply(_ operation: NetworkOperation, at index: Int, to x: inout Activations,
                       engine: some MatrixEngine) {
        switch operation {
        case .dense(let layer):
            x = dense(layer.matrix, at: index, input: x, engine: engine)
        case .convolution(let layer):
            x = convolution(layer, at: index, input: x, engine: engine)
        case .relu:
            x.applyClip(minimum: 0, maximum: .infinity)
        case .clip(let minimum, let maximum):
            x.applyClip(minimum: minimum, maximum: maximum)
        case .maxPool(let window):
            x = x.pooled(window, average: false)
        case .averagePool(let window):
            x = x.pooled(window, average: true)
        case .globalAveragePool:
            x = x.globalAveragePooled()
        case .batchNormalization(let norm):
            x.applyBatchNormalization(norm)
        case .flatten:
            x.shape = [x.sampleSize]
        case .softmax:
            x.applySoftmax(logarithm: false)
        case .logSoftmax:
            x.applySoftmax(logarithm: true)
        }
    }

    private func dense(_ matrix: WeightMatrix, at index: Int, input: Activations,
                       engine: some MatrixEngine) -> Activations {
        precondition(input.sampleSize == matrix.rows,
                     "\(operations[index].displayName) expects \(matrix.rows) inputs, got \(input.sampleSize)")
        var output = [Float].filled(count: input.batch * matrix.columns) { y in
            input.values.withUnsafeBufferPointer { x in
                engine.multiply(operationIndex: index, matrix: matrix, input: x.baseAddress!,
                                rowCount: input.batch, inputTransposed: false, output: y)
            }
        }
        for b in 0..<input.batch {
            for j in 0..<matrix.columns { output[b * matrix.columns + j] += matrix.bias[j] }
        }
        return Activations(batch: input.batch, shape: [matrix.columns], values: output)
    }

    private func convolution(_ layer: ConvolutionLayer, at index: Int, input: Activations,
                             engine: some MatrixEngine) -> Activations {
        let g = layer.geometry
        precondition(input.shape == [g.inputChannels, g.inputHeight, g.inputWidth],
                     "\(layer.name) expects input shape \([g.inputChannels, g.inputHeight, g.inputWidth]), got \(input.shape)")
        let partSamples = engine.unfoldsPartialBatches ? g.samplesPerUnfold : input.batch
        let cycles = engine.inputCycles(operationIndex: index, input.values)
        let output = [Float].filled(count: input.batch * g.outputPixels * g.outputChannels) { o in
            let patches = UnsafeMutablePointer<Float>.allocate(capacity: partSamples * g.outputPixels * g.patchSize)
            let products = UnsafeMutablePointer<Float>.allocate(capacity: partSamples * g.outputPixels * g.outputChannels)
            defer {
                patches.deallocate()
                products.deallocate()
            }
            for first in stride(from: 0, to: input.batch, by: partSamples) {
                let samples = first..<min(first + partSamples, input.batch)
                let rowCount = samples.count * g.outputPixels
                func unfold(_ values: [Float]) {
                    values.withUnsafeBufferPointer {
                        g.unfoldTransposed($0.baseAddress! + first * input.sampleSize, batch: samples.count, into: patches)
                    }
                }
                if let cycles {
                    products.update(repeating: 0, count: rowCount * g.outputChannels)
                    for cycle in cycles {
                        unfold(cycle.volts)
                        engine.accumulateCycle(operationIndex: index, matrix: layer.matrix, volts: patches, weight: cycle.weight,
                                               rowCount: rowCount, inputTransposed: true, output: products)
                    }
                } else {
                    unfold(input.values)
                    engine.multiply(operationIndex: index, matrix: layer.matrix, input: patches,
                                    rowCount: rowCount, inputTransposed: true, output: products)
                }
                layer.matrix.bias.withUnsafeBufferPointer { bias in
                    g.fold(products, batch: samples.count, adding: bias.baseAddress!,
                           into: o + first * g.outputPixels * g.outputChannels)
                }
            }
        }
        return Activations(batch: input.batch, shape: [g.outputChannels, g.outputHeight, g.outputWidth],
                           values: output)
    }
}
