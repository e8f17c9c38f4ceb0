/// A layer's weights as the crossbar sees them: `rows` inputs (word lines) by `columns`
/// outputs (bit lines), row-major, plus one bias per output that the digital path adds.
public struct WeightMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// Weight (i, j) at `values[i * columns + j]`: input i to output j.
    public var values: [Float]
    public var bias: [Float]

    /// - Precondition: `values` holds rows * columns weights and `bias` holds columns.
    public init(rows: Int, columns: Int, values: [Float], bias: [Float]) {
        precondition(values.count == rows * columns, "a \(rows) x \(columns) matrix needs \(rows * columns) weights, got \(values.count)")
        precondition(bias.count == columns, "a matrix with \(columns) columns needs \(columns) biases, got \(bias.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.bias = bias
    }

    /// w_max, the largest weight magnitude; the mapping scales weights by it.
    public var maximumMagnitude: Float {
        values.reduce(0) { max($0, abs($1)) }
    }
}

/// A fully connected layer y = x W + b, with W stored inputs x outputs.
public struct DenseLayer: Sendable {
    public var name: String
    public var matrix: WeightMatrix
    /// The name of a batch normalization folded into this layer at import, if any.
    public var foldedBatchNormalization: String?

    public init(name: String, matrix: WeightMatrix, foldedBatchNormalization: String? = nil) {
        self.name = name
        self.matrix = matrix
        self.foldedBatchNormalization = foldedBatchNormalization
    }
}

/// One step of a network. Dense and convolution layers run on crossbar tiles in analog
/// mode; every other operation runs in the digital path.
public enum NetworkOperation: Sendable {
    case dense(DenseLayer)
    case convolution(ConvolutionLayer)
    case relu
    case clip(minimum: Float, maximum: Float)
    case maxPool(PoolingWindow)
    case averagePool(PoolingWindow)
    case globalAveragePool
    case batchNormalization(BatchNormalization)
    case flatten
    case softmax
    case logSoftmax

    /// The weight matrix of a layer that maps onto crossbar tiles, or nil.
    public var weightMatrix: WeightMatrix? {
        switch self {
        case .dense(let layer): layer.matrix
        case .convolution(let layer): layer.matrix
        default: nil
        }
    }

    /// The layer's name for reports; operations without weights use their kind.
    public var displayName: String {
        switch self {
        case .dense(let layer): layer.name
        case .convolution(let layer): layer.name
        case .relu: "Relu"
        case .clip: "Clip"
        case .maxPool: "MaxPool"
        case .averagePool: "AveragePool"
        case .globalAveragePool: "GlobalAveragePool"
        case .batchNormalization(let norm): norm.name
        case .flatten: "Flatten"
        case .softmax: "Softmax"
        case .logSoftmax: "LogSoftmax"
        }
    }
}

/// A network as a chain of operations on per-sample tensors of shape `inputShape`
/// ([features] or [channels, height, width]).
public struct Network: Sendable {
    public var name: String
    public var inputShape: [Int]
    public var operations: [NetworkOperation]

    public init(name: String, inputShape: [Int], operations: [NetworkOperation]) {
        self.name = name
        self.inputShape = inputShape
        self.operations = operations
    }

    /// Indices into `operations` of the layers that map onto crossbar tiles.
    public var weightLayerIndices: [Int] {
        operations.indices.filter { operations[$0].weightMatrix != nil }
    }
}
