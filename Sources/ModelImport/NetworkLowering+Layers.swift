import Accelerator
import Foundation

// Dense, convolution and batch normalization operators.

extension NetworkLowering {
    mutating func lowerGemm(_ node: ONNXNode) throws {
        let alpha = try node.float("alpha", default: 1)
        let beta = try node.float("beta", default: 1)
        guard try node.int("transA", default: 0) == 0 else {
            throw ONNXError("\(source): \(label(node)) has transA = 1; only Gemm with the activations as its first, untransposed input is supported")
        }
        let b = try constantFloats(node.inputs[1], of: node, role: "weights")
        guard b.dims.count == 2 else {
            throw ONNXError("\(source): Gemm weights '\(b.name)' have shape \(b.dims); expected a 2-D matrix")
        }
        try checkWeightDims(b, of: node)
        let transposed = try node.int("transB", default: 0) != 0
        let (inputs, outputs) = transposed ? (b.dims[1], b.dims[0]) : (b.dims[0], b.dims[1])
        try requireFeatures(inputs, node: node)
        var values = transposed ? transpose(b.floatValues, rows: outputs, columns: inputs) : b.floatValues
        if alpha != 1 { values = values.map { $0 * alpha } }
        var bias = [Float](repeating: 0, count: outputs)
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            let c = try constantFloats(node.inputs[2], of: node, role: "bias")
            bias = try broadcastBias(c, count: outputs, node: node).map { $0 * beta }
        }
        appendDense(node, matrix: WeightMatrix(rows: inputs, columns: outputs, values: values, bias: bias))
    }

    mutating func lowerMatMul(_ node: ONNXNode) throws {
        let b = try constantFloats(node.inputs[1], of: node, role: "weights")
        guard b.dims.count == 2 else {
            throw ONNXError("\(source): MatMul weights '\(b.name)' have shape \(b.dims); expected a 2-D matrix")
        }
        try checkWeightDims(b, of: node)
        try requireFeatures(b.dims[0], node: node)
        appendDense(node, matrix: WeightMatrix(rows: b.dims[0], columns: b.dims[1], values: b.floatValues,
                                               bias: [Float](repeating: 0, count: b.dims[1])))
    }

    private mutating func appendDense(_ node: ONNXNode, matrix: WeightMatrix) {
        append(.dense(DenseLayer(name: node.displayName, matrix: matrix)), foldable: true)
        shape = [matrix.columns]
    }

    private func requireFeatures(_ inputs: Int, node: ONNXNode) throws {
        guard shape.count == 1, shape[0] == inputs else {
            throw ONNXError("\(source): \(label(node)) expects \(inputs) input features but receives shape \(shape); add a Flatten before it")
        }
    }

    /// Adds a constant bias `Add` right after a dense or convolution layer to that layer's bias.
    mutating func lowerAdd(_ node: ONNXNode) throws {
        guard lastLayerFoldable, let other = constants[node.inputs[1]],
              let last = operations.last, let matrix = last.weightMatrix
        else {
            throw ONNXError("\(source): \(label(node)) adds '\(node.inputs[1])'; only a constant bias right after a MatMul, Gemm or Conv is supported")
        }
        let bias = try broadcastBias(try constantFloats(other.name, of: node, role: "bias"), count: matrix.columns, node: node)
        var updated = matrix
        updated.bias = zip(matrix.bias, bias).map(+)
        replaceLast(with: updated)
    }

    /// Replaces the weight matrix of the last operation, which must be a weight layer.
    mutating func replaceLast(with matrix: WeightMatrix, folded: String? = nil) {
        switch operations.removeLast() {
        case .dense(var layer):
            layer.matrix = matrix
            layer.foldedBatchNormalization = folded ?? layer.foldedBatchNormalization
            operations.append(.dense(layer))
        case .convolution(var layer):
            layer.matrix = matrix
            layer.foldedBatchNormalization = folded ?? layer.foldedBatchNormalization
            operations.append(.convolution(layer))
        default:
            preconditionFailure("replaceLast(with:) needs a weight layer last")
        }
    }

    /// Accepts a bias of `count` values, a single value, or [1, count].
    func broadcastBias(_ tensor: ONNXTensor, count: Int, node: ONNXNode) throws -> [Float] {
        if tensor.elementCount == count { return tensor.floatValues }
        if tensor.elementCount == 1 { return [Float](repeating: tensor.floatValues[0], count: count) }
        throw ONNXError("\(source): bias '\(tensor.name)' of \(label(node)) has shape \(tensor.dims); expected \(count) values, one per output")
    }

    mutating func lowerBatchNormalization(_ node: ONNXNode) throws {
        let epsilon = try node.float("epsilon", default: 1e-5)
        let parameters = try (1...4).map { try constantFloats(node.inputs[$0], of: node, role: "batch normalization parameter") }
        let channels = shape[0]
        for tensor in parameters where tensor.elementCount != channels {
            throw ONNXError("\(source): '\(tensor.name)' of \(label(node)) has \(tensor.elementCount) values for \(channels) channels")
        }
        let norm = BatchNormalization(name: node.displayName, gamma: parameters[0].floatValues,
                                      beta: parameters[1].floatValues, mean: parameters[2].floatValues,
                                      variance: parameters[3].floatValues, epsilon: epsilon)
        guard foldsBatchNormalization, lastLayerFoldable, let matrix = operations.last?.weightMatrix, matrix.columns == channels else {
            append(.batchNormalization(norm))
            return
        }
        // Folding: y = s * (x W + b) + t = x (W s) + (s b + t), column by column.
        var folded = matrix
        for i in 0..<matrix.rows {
            for j in 0..<matrix.columns { folded.values[i * matrix.columns + j] *= norm.scale[j] }
        }
        folded.bias = (0..<channels).map { matrix.bias[$0] * norm.scale[$0] + norm.shift[$0] }
        replaceLast(with: folded, folded: node.displayName)
        lastLayerFoldable = false
    }

    mutating func lowerConv(_ node: ONNXNode) throws {
        let w = try constantFloats(node.inputs[1], of: node, role: "weights")
        guard w.dims.count == 4, shape.count == 3 else {
            throw ONNXError("\(source): \(label(node)) has weights of shape \(w.dims) on input shape \(shape); only 2-D convolutions on [channels, height, width] are supported")
        }
        try checkWeightDims(w, of: node)
        let group = try node.int("group", default: 1)
        guard group == 1 else {
            throw ONNXError("\(source): \(label(node)) has group = \(group); grouped and depthwise convolutions are not supported yet, so export with group = 1")
        }
        guard w.dims[1] == shape[0] else {
            throw ONNXError("\(source): \(label(node)) has weights for \(w.dims[1]) input channels but its input has \(shape[0])")
        }
        var g = ConvolutionGeometry(inputChannels: shape[0], inputHeight: shape[1], inputWidth: shape[2],
                                    outputChannels: w.dims[0], kernelHeight: w.dims[2], kernelWidth: w.dims[3])
        try applyWindowAttributes(node, kernel: (w.dims[2], w.dims[3]), geometry: &g)
        // The division in outputHeight truncates toward zero, so a window one pixel too large
        // would still count one output. Compare the padded input with the dilated kernel instead.
        guard g.inputHeight + g.padTop + g.padBottom >= g.dilationY * (g.kernelHeight - 1) + 1,
              g.inputWidth + g.padLeft + g.padRight >= g.dilationX * (g.kernelWidth - 1) + 1
        else {
            throw ONNXError("\(source): \(label(node)) gives an empty output for input shape \(shape)")
        }
        // ONNX weights are [C_out, C_in, K_h, K_w]; the matrix has row (c, ky, kx), column C_out.
        let values = transpose(w.floatValues, rows: g.outputChannels, columns: g.patchSize)
        var bias = [Float](repeating: 0, count: g.outputChannels)
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            bias = try broadcastBias(try constantFloats(node.inputs[2], of: node, role: "bias"), count: g.outputChannels, node: node)
        }
        let matrix = WeightMatrix(rows: g.patchSize, columns: g.outputChannels, values: values, bias: bias)
        let outputShape = [g.outputChannels, g.outputHeight, g.outputWidth]
        try Self.checkSampleSize(outputShape, of: label(node), source: source)
        append(.convolution(ConvolutionLayer(name: node.displayName, geometry: g, matrix: matrix)), foldable: true)
        shape = outputShape
    }

    func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for i in 0..<rows {
            for j in 0..<columns { result[j * rows + i] = values[i * columns + j] }
        }
        return result
    }
}
