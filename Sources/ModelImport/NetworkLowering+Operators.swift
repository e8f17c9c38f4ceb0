import Accelerator
import Foundation

// Window attributes and the operators of the digital path.

extension NetworkLowering {
    /// The strides, pads and dilations of a 2-D Conv or pooling node, with `auto_pad`.
    struct Window {
        var strides = (1, 1)
        var dilations = (1, 1)
        /// top, left, bottom, right
        var pads = (0, 0, 0, 0)
    }

    func window(_ node: ONNXNode, kernel: (Int, Int)) throws -> Window {
        var window = Window()
        let strides = try node.ints("strides", default: [1, 1])
        let dilations = try node.ints("dilations", default: [1, 1])
        let pads = try node.ints("pads", default: [0, 0, 0, 0])
        let limit = Int64(Self.maxDimension)
        guard strides.count == 2, dilations.count == 2, pads.count == 4,
              strides.allSatisfy({ (1...limit).contains($0) }), dilations.allSatisfy({ (1...limit).contains($0) }),
              pads.allSatisfy({ (0...limit).contains($0) })
        else {
            throw ONNXError("\(source): \(label(node)) has strides \(strides), dilations \(dilations), pads \(pads); expected 2 strides and 2 dilations of 1 to \(limit) and 4 pads of 0 to \(limit) for a 2-D window")
        }
        window.strides = (Int(strides[0]), Int(strides[1]))
        window.dilations = (Int(dilations[0]), Int(dilations[1]))
        window.pads = (Int(pads[0]), Int(pads[1]), Int(pads[2]), Int(pads[3]))
        switch try node.string("auto_pad", default: "NOTSET") {
        case "NOTSET": break
        case "VALID": window.pads = (0, 0, 0, 0)
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            let (top, bottom) = samePadding(shape[1], kernel: kernel.0, stride: window.strides.0,
                                            dilation: window.dilations.0, upper: mode == "SAME_UPPER")
            let (left, right) = samePadding(shape[2], kernel: kernel.1, stride: window.strides.1,
                                            dilation: window.dilations.1, upper: mode == "SAME_UPPER")
            window.pads = (top, left, bottom, right)
        case let mode:
            throw ONNXError("\(source): \(label(node)) has auto_pad '\(mode)'; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER")
        }
        return window
    }

    /// Padding so that output = ceil(input / stride); the odd pixel goes to the end for
    /// SAME_UPPER and to the start for SAME_LOWER.
    private func samePadding(_ input: Int, kernel: Int, stride: Int, dilation: Int, upper: Bool) -> (Int, Int) {
        let output = (input + stride - 1) / stride
        let total = max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - input)
        return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
    }

    func applyWindowAttributes(_ node: ONNXNode, kernel: (Int, Int), geometry g: inout ConvolutionGeometry) throws {
        let kernelShape = try node.ints("kernel_shape", default: [Int64(kernel.0), Int64(kernel.1)])
        guard kernelShape == [Int64(kernel.0), Int64(kernel.1)] else {
            throw ONNXError("\(source): \(label(node)) has kernel_shape \(kernelShape) but weights of \(kernel.0) x \(kernel.1)")
        }
        let w = try window(node, kernel: kernel)
        (g.strideY, g.strideX) = w.strides
        (g.dilationY, g.dilationX) = w.dilations
        (g.padTop, g.padLeft, g.padBottom, g.padRight) = w.pads
    }

    mutating func lowerPool(_ node: ONNXNode) throws {
        guard shape.count == 3 else {
            throw ONNXError("\(source): \(label(node)) needs a [channels, height, width] input, got \(shape)")
        }
        let kernel = try node.ints("kernel_shape", default: nil)
        guard kernel.count == 2, kernel.allSatisfy({ (1...Int64(Self.maxDimension)).contains($0) }) else {
            throw ONNXError("\(source): \(label(node)) has kernel_shape \(kernel); expected two sizes of 1 to \(Self.maxDimension)")
        }
        let w = try window(node, kernel: (Int(kernel[0]), Int(kernel[1])))
        guard w.dilations == (1, 1) else {
            throw ONNXError("\(source): \(label(node)) has dilations \(w.dilations); dilated pooling is not supported")
        }
        var pool = PoolingWindow(kernelHeight: Int(kernel[0]), kernelWidth: Int(kernel[1]),
                                 strideY: w.strides.0, strideX: w.strides.1)
        (pool.padTop, pool.padLeft, pool.padBottom, pool.padRight) = w.pads
        pool.ceilMode = try node.int("ceil_mode", default: 0) != 0
        pool.countIncludePad = try node.int("count_include_pad", default: 0) != 0
        // As for Conv, compare first: the division in outputSize truncates toward zero.
        guard shape[1] + pool.padTop + pool.padBottom >= pool.kernelHeight,
              shape[2] + pool.padLeft + pool.padRight >= pool.kernelWidth
        else {
            throw ONNXError("\(source): \(label(node)) gives an empty output for input shape \(shape)")
        }
        let outputShape = [shape[0], pool.outputHeight(shape[1]), pool.outputWidth(shape[2])]
        try Self.checkSampleSize(outputShape, of: label(node), source: source)
        append(node.opType == "MaxPool" ? .maxPool(pool) : .averagePool(pool))
        shape = outputShape
    }

    mutating func lowerGlobalAveragePool(_ node: ONNXNode) throws {
        guard shape.count == 3 else {
            throw ONNXError("\(source): \(label(node)) needs a [channels, height, width] input, got \(shape)")
        }
        append(.globalAveragePool)
        shape = [shape[0], 1, 1]
    }

    mutating func lowerClip(_ node: ONNXNode) throws {
        // Opset 11 and later pass min and max as optional inputs, earlier opsets as attributes.
        var minimum = try node.float("min", default: -.infinity)
        var maximum = try node.float("max", default: .infinity)
        if node.inputs.count > 1, !node.inputs[1].isEmpty {
            minimum = try scalar(node.inputs[1], of: node, role: "min")
        }
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            maximum = try scalar(node.inputs[2], of: node, role: "max")
        }
        append(.clip(minimum: minimum, maximum: maximum))
    }

    private func scalar(_ name: String, of node: ONNXNode, role: String) throws -> Float {
        let tensor = try constantFloats(name, of: node, role: role)
        guard tensor.elementCount == 1 else {
            throw ONNXError("\(source): \(role) '\(name)' of \(label(node)) has shape \(tensor.dims); expected a scalar")
        }
        return tensor.floatValues[0]
    }

    mutating func lowerFlatten(_ node: ONNXNode) throws {
        let axis = try node.int("axis", default: 1)
        guard axis == 1 else {
            throw ONNXError("\(source): \(label(node)) has axis = \(axis); only axis = 1 (keep the batch, flatten each sample) is supported")
        }
        append(.flatten)
        shape = [shape.reduce(1, *)]
    }

    /// A Reshape to [batch, features] is a flatten; any other target shape is rejected.
    mutating func lowerReshape(_ node: ONNXNode) throws {
        guard node.inputs.count > 1, let target = constants[node.inputs[1]], target.int64Values.count == 2 else {
            throw ONNXError("\(source): \(label(node)) has a target shape that is not a constant [batch, features]; only reshapes that flatten each sample are supported")
        }
        let features = shape.reduce(1, *)
        guard target.int64Values[1] == Int64(features) || target.int64Values[1] == -1 else {
            throw ONNXError("\(source): \(label(node)) reshapes to \(target.int64Values) but each sample has \(features) values; only flattening reshapes are supported")
        }
        append(.flatten)
        shape = [features]
    }

    mutating func lowerSoftmax(_ node: ONNXNode) throws {
        let axis = try node.int("axis", default: -1)
        guard shape.count == 1, axis == -1 || axis == 1 else {
            throw ONNXError("\(source): \(label(node)) has axis = \(axis) on shape \(shape); only a softmax over the features of flat samples is supported")
        }
        append(node.opType == "Softmax" ? .softmax : .logSoftmax)
    }
}
