// Inputs that crashed a parser, found by libFuzzer (scripts/fuzz, docs/fuzzing.md) or by
// reading the code around a fuzzer crash, each reduced to the smallest form that still
// crashed it. Each test checks that the parser now throws a clear error instead of trapping.
@testable import ModelImport
import Testing

@Suite struct IDXFuzzRegressionTests {
    /// Found by the fuzzer and reduced with -minimize_crash=1: rank 3 with sizes 253,
    /// 0xff000a0b and 0x05060708, whose product overflowed Int and trapped.
    @Test func overflowingDimensionsThrow() {
        let bytes: [UInt8] = [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0xfd,
                              0xff, 0x00, 0x0a, 0x0b, 0x05, 0x06, 0x07, 0x08]
        let error = #expect(throws: ImportError.self) {
            try IDXReader.parse(bytes, file: "x.idx", expectedRank: 3)
        }
        #expect(error?.file == "x.idx")
        #expect(error?.message.contains("more data bytes than a 64-bit count can hold") == true)
    }
}

/// Lowering inputs that trapped: the ONNX encoding was valid, the graph was not. Each model
/// is the smallest graph that reproduces the trap, built from values rather than bytes,
/// since libFuzzer could not shrink the 1,126-byte ONNX crash input below its size. The
/// fuzzer found the node without an output; the other cases came from reading the
/// lowering for the same kind of unchecked index or product.
@Suite struct LoweringFuzzRegressionTests {
    /// Builds a model whose input "x" has shape [1] + `sample` and whose graph ends at "y".
    func model(sample: [Int], nodes: [ONNXNode], initializers: [ONNXTensor] = []) -> ONNXModel {
        let input = ONNXValueInfo(name: "x", elementType: .float, shape: ([1] + sample).map { .value($0) })
        let output = ONNXValueInfo(name: "y", elementType: .float, shape: nil)
        let graph = ONNXGraph(name: "g", nodes: nodes, initializers: initializers, inputs: [input], outputs: [output])
        return ONNXModel(irVersion: 8, opsetVersion: 13, producerName: "", producerVersion: "", graph: graph)
    }

    func node(_ opType: String, _ inputs: [String], _ outputs: [String] = ["y"],
              _ attributes: [String: ONNXAttribute] = [:]) -> ONNXNode {
        ONNXNode(name: "", opType: opType, inputs: inputs, outputs: outputs, attributes: attributes, index: 0, source: "f.onnx")
    }

    /// Expects lowering to throw an ONNXError that starts with the file and contains `fragment`.
    func expectError(_ model: ONNXModel, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ONNXError.self, sourceLocation: sourceLocation) {
            try NetworkLowering.lower(model, source: "f.onnx", name: "f")
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("f.onnx: "), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains(fragment), "\(text)", sourceLocation: sourceLocation)
    }

    /// Found by the fuzzer: a node with no output trapped on `outputs[0]`.
    @Test func nodeWithoutOutputThrows() {
        expectError(model(sample: [4], nodes: [node("Relu", ["x"], [])]), "Relu node #0 has no output")
    }

    /// Operators that read their weights by position trapped when a node listed too few
    /// inputs.
    @Test(arguments: [("Gemm", 2), ("MatMul", 2), ("Add", 2), ("Conv", 2), ("BatchNormalization", 5)])
    func tooFewInputsThrow(opType: String, needed: Int) {
        expectError(model(sample: [4], nodes: [node(opType, ["x"])]),
                    "has 1 inputs; \(opType) needs at least \(needed)")
    }

    /// Input dims whose product overflows Int trapped in the Flatten that followed.
    @Test func hugeInputShapeThrows() {
        let huge = NetworkLowering.maxDimension
        expectError(model(sample: [huge, huge, huge], nodes: [node("Flatten", ["x"])]),
                    "more than \(NetworkLowering.maxSampleElements) values")
        expectError(model(sample: [huge + 1], nodes: [node("Relu", ["x"])]),
                    "has dimension \(huge + 1)")
    }

    /// Weights with a zero dimension are valid tensors with no values, so dims such as
    /// [0, 1, 2^40, 1] passed the tensor check and overflowed the convolution geometry.
    @Test func emptyOrHugeWeightsThrow() {
        let weights = ONNXTensor(name: "w", dims: [0, 1, 1 << 40, 1], dataType: .float)
        expectError(model(sample: [1, 4, 4], nodes: [node("Conv", ["x", "w"])], initializers: [weights]),
                    "weights 'w' of Conv node #0 have shape [0, 1, 1099511627776, 1]")
        let empty = ONNXTensor(name: "w", dims: [4, 0], dataType: .float)
        expectError(model(sample: [4], nodes: [node("MatMul", ["x", "w"])], initializers: [empty]),
                    "every dimension must be 1 to \(NetworkLowering.maxDimension)")
    }

    /// Strides, dilations and pads near Int64.max overflowed the output size arithmetic.
    @Test func hugeWindowAttributesThrow() {
        let pads: ONNXAttribute = .ints([Int64.max, 0, Int64.max, 0])
        expectError(model(sample: [1, 4, 4], nodes: [node("MaxPool", ["x"], ["y"], ["kernel_shape": .ints([2, 2]), "pads": pads])]),
                    "4 pads of 0 to \(NetworkLowering.maxDimension)")
        let weights = ONNXTensor(name: "w", dims: [1, 1, 2, 2], dataType: .float, floatValues: [1, 1, 1, 1])
        let strides: ONNXAttribute = .ints([Int64.max, 1])
        expectError(model(sample: [1, 4, 4], nodes: [node("Conv", ["x", "w"], ["y"], ["strides": strides])], initializers: [weights]),
                    "2 strides and 2 dilations of 1")
        expectError(model(sample: [1, 4, 4], nodes: [node("MaxPool", ["x"], ["y"], ["kernel_shape": .ints([Int64.max, 1])])]),
                    "expected two sizes of 1 to \(NetworkLowering.maxDimension)")
    }

    /// A kernel larger than the padded input gave one output pixel instead of an error,
    /// because the output size division truncates toward zero.
    @Test func kernelLargerThanInputThrows() {
        let weights = ONNXTensor(name: "w", dims: [1, 1, 4, 4], dataType: .float, floatValues: [Float](repeating: 1, count: 16))
        expectError(model(sample: [1, 2, 2], nodes: [node("Conv", ["x", "w"], ["y"], ["strides": .ints([3, 3])])], initializers: [weights]),
                    "gives an empty output for input shape [1, 2, 2]")
        expectError(model(sample: [1, 2, 2], nodes: [node("AveragePool", ["x"], ["y"], ["kernel_shape": .ints([4, 4]), "strides": .ints([3, 3])])]),
                    "gives an empty output for input shape [1, 2, 2]")
    }
}
