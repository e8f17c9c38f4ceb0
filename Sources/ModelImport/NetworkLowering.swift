import Accelerator
import Foundation

/// Turns an ONNX graph into the chain of operations the emulator runs. Dense and
/// convolution layers become weight matrices for the crossbar. A batch normalization right
/// after one of them is folded into its weights and bias, as an accelerator programs it,
/// and a bias `Add` after `MatMul` or `Conv` joins that layer's bias.
public struct NetworkLowering {
    /// The operators the lowering accepts, in the default ONNX domain.
    public static let supportedOperators = [
        "Add", "AveragePool", "BatchNormalization", "Clip", "Constant", "Conv", "Dropout", "Flatten",
        "Gemm", "GlobalAveragePool", "Identity", "LogSoftmax", "MatMul", "MaxPool", "Relu", "Reshape",
        "Softmax",
    ]

    /// The largest size accepted for one axis of the input, a kernel or a weight matrix,
    /// and for a stride, dilation or pad. It is far above any network a crossbar maps, and
    /// small enough that the window arithmetic below cannot overflow `Int`.
    static let maxDimension = 1 << 24

    /// The maximum number of values in one sample at any point of the chain, so that shape
    /// products such as a Flatten cannot overflow `Int`.
    static let maxSampleElements = 1 << 31

    /// Inputs that each operator reads by position; other operators read only the first.
    static let requiredInputs = ["Gemm": 2, "MatMul": 2, "Add": 2, "Conv": 2, "BatchNormalization": 5]

    let source: String
    let graph: ONNXGraph
    /// Initializers and Constant outputs by name.
    var constants: [String: ONNXTensor] = [:]
    /// The activation tensor the chain has reached and its per-sample shape.
    var current: String
    var shape: [Int]
    var operations: [NetworkOperation] = []
    /// True while the last operation is a weight layer nothing else has read yet, so a
    /// following bias Add or batch normalization can be folded into it.
    var lastLayerFoldable = false
    /// Folds a batch normalization into the layer before it; off only to check the folding.
    var foldsBatchNormalization = true

    /// Lowers `model`, read from the file `source`.
    ///
    /// - Throws: `ONNXError` naming the node and operator for anything unsupported, and the
    ///   tensor for non-finite weights.
    public static func lower(_ model: ONNXModel, source: String, name: String,
                             foldBatchNormalization: Bool = true) throws -> Network {
        var lowering = try NetworkLowering(model.graph, source: source)
        lowering.foldsBatchNormalization = foldBatchNormalization
        let inputShape = lowering.shape
        for node in model.graph.nodes {
            try lowering.lower(node)
        }
        try lowering.checkOutput()
        return Network(name: name, inputShape: inputShape, operations: lowering.operations)
    }

    init(_ graph: ONNXGraph, source: String) throws {
        self.source = source
        self.graph = graph
        var initializers: [String: ONNXTensor] = [:]
        for tensor in graph.initializers {
            initializers[tensor.name] = tensor
        }
        constants = initializers
        guard let input = graph.inputs.first(where: { initializers[$0.name] == nil }) else {
            throw ONNXError("\(source): the graph has no input that is not an initializer")
        }
        guard let dims = input.shape, dims.count >= 2 else {
            throw ONNXError("\(source): graph input '\(input.name)' has no known shape; export the model with a fixed sample shape such as [batch, 1, 28, 28]")
        }
        var sampleShape: [Int] = []
        for dim in dims.dropFirst() {
            guard case .value(let size) = dim, size > 0 else {
                throw ONNXError("\(source): graph input '\(input.name)' has a dynamic dimension besides the batch; export with a fixed image size")
            }
            guard size <= Self.maxDimension else {
                throw ONNXError("\(source): graph input '\(input.name)' has dimension \(size); reram-emu accepts at most \(Self.maxDimension) per axis")
            }
            sampleShape.append(size)
        }
        current = input.name
        shape = sampleShape
        try Self.checkSampleSize(sampleShape, of: "graph input '\(input.name)'", source: source)
    }

    /// Throws unless a sample of `shape` has at most `maxSampleElements` values.
    static func checkSampleSize(_ shape: [Int], of what: String, source: String) throws {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maxSampleElements else {
                throw ONNXError("\(source): \(what) gives each sample the shape \(shape), more than \(maxSampleElements) values; reram-emu does not map networks that large, so export a smaller input or layer")
            }
            count = product
        }
    }

    mutating func lower(_ node: ONNXNode) throws {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw unsupported(node)
        }
        if node.opType == "Constant" {
            guard let output = node.outputs.first else { return }
            constants[output] = try node.tensor("value")
            return
        }
        guard let output = node.outputs.first else {
            throw ONNXError("\(source): \(label(node)) has no output; every node in the chain must name its result")
        }
        let needed = Self.requiredInputs[node.opType] ?? 1
        guard node.inputs.count >= needed else {
            throw ONNXError("\(source): \(label(node)) has \(node.inputs.count) inputs; \(node.opType) needs at least \(needed)")
        }
        guard node.inputs.first == current else {
            throw ONNXError("\(source): \(label(node)) reads '\(node.inputs.first ?? "")' instead of the previous result '\(current)'; only chains of operators are supported (no branches or residual connections)")
        }
        try lowerOperator(node)
        current = output
    }

    private mutating func lowerOperator(_ node: ONNXNode) throws {
        switch node.opType {
        case "Gemm": try lowerGemm(node)
        case "MatMul": try lowerMatMul(node)
        case "Add": try lowerAdd(node)
        case "Conv": try lowerConv(node)
        case "BatchNormalization": try lowerBatchNormalization(node)
        case "Relu": append(.relu)
        case "Clip": try lowerClip(node)
        case "MaxPool", "AveragePool": try lowerPool(node)
        case "GlobalAveragePool": try lowerGlobalAveragePool(node)
        case "Flatten": try lowerFlatten(node)
        case "Reshape": try lowerReshape(node)
        case "Identity", "Dropout": break
        case "Softmax", "LogSoftmax": try lowerSoftmax(node)
        default: throw unsupported(node)
        }
    }

    mutating func append(_ operation: NetworkOperation, foldable: Bool = false) {
        operations.append(operation)
        lastLayerFoldable = foldable
    }

    private func checkOutput() throws {
        guard let output = graph.outputs.first else {
            throw ONNXError("\(source): the graph declares no output")
        }
        guard output.name == current else {
            throw ONNXError("\(source): the chain of operators ends at '\(current)' but the graph output is '\(output.name)'; only single-path networks are supported")
        }
    }

    func label(_ node: ONNXNode) -> String {
        node.name.isEmpty ? node.displayName : "node '\(node.name)' (\(node.opType))"
    }

    func unsupported(_ node: ONNXNode) -> ONNXError {
        let domain = node.domain.isEmpty ? "" : " in domain '\(node.domain)'"
        return ONNXError("\(source): \(label(node)) uses operator \(node.opType)\(domain), which reram-emu does not support; supported operators: \(Self.supportedOperators.joined(separator: ", ")); export the network without it")
    }

    /// Returns the constant tensor named `name` after checking that it contains finite float data.
    func constantFloats(_ name: String, of node: ONNXNode, role: String) throws -> ONNXTensor {
        guard let tensor = constants[name] else {
            throw ONNXError("\(source): \(label(node)) takes its \(role) from '\(name)', which is not an initializer or constant; only constant weights can be programmed")
        }
        guard tensor.dataType == .float || tensor.dataType == .double else {
            throw ONNXError("\(source): tensor '\(name)' (\(role) of \(label(node))) has data type \(tensor.dataType.name); reram-emu reads float32 weights, so export in float32")
        }
        if let bad = tensor.floatValues.firstIndex(where: { !$0.isFinite }) {
            throw ONNXError("\(source): tensor '\(name)' contains \(tensor.floatValues[bad]) at element \(bad); weights must be finite, so check the training run that produced the model")
        }
        return tensor
    }

    /// Throws unless every dimension of a weight tensor lies in 1...maxDimension. An empty
    /// weight tensor would give a layer without rows or columns, and one with dims such as
    /// [0, 1, 2^40, 2^40] would overflow the convolution geometry.
    func checkWeightDims(_ tensor: ONNXTensor, of node: ONNXNode) throws {
        guard tensor.dims.allSatisfy({ (1...Self.maxDimension).contains($0) }) else {
            throw ONNXError("\(source): weights '\(tensor.name)' of \(label(node)) have shape \(tensor.dims); every dimension must be 1 to \(Self.maxDimension)")
        }
    }
}
