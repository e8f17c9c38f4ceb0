import Foundation
import Testing
import ModelImport

/// Path of `models/mnist-mlp.onnx` under the package root, found from this file's location
/// (`<root>/Tests/ModelImportTests/<this file>`).
private let mnistModelURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("models/mnist-mlp.onnx")

/// Values that Python's `onnx` 1.23 reads from the same file with
/// `numpy_helper.to_array(initializer)`: the first three and last values in row-major order
/// and the sum accumulated in float64.
private struct ExpectedInitializer: Sendable, CustomTestStringConvertible {
    let name: String
    let dims: [Int]
    let firstValues: [Float]
    let lastValue: Float
    let sum: Double

    var testDescription: String { name }
}

private let expectedInitializers: [ExpectedInitializer] = [
    ExpectedInitializer(name: "net.1.weight", dims: [256, 784],
                        firstValues: [0.007768678478896618, 0.027194710448384285, -0.02135845459997654],
                        lastValue: -0.0013840994797647, sum: -358.3942763645392),
    ExpectedInitializer(name: "net.1.bias", dims: [256],
                        firstValues: [-0.019753921777009964, 0.019452808424830437, 0.004363361280411482],
                        lastValue: 0.0007285004830919206, sum: -0.9388849124459284),
    ExpectedInitializer(name: "net.3.weight", dims: [128, 256],
                        firstValues: [-0.00951636116951704, 0.03507637977600098, 0.05733998492360115],
                        lastValue: 0.00844181701540947, sum: 85.0755463922178),
    ExpectedInitializer(name: "net.3.bias", dims: [128],
                        firstValues: [-0.0067503140307962894, 0.0726374089717865, -0.06854989379644394],
                        lastValue: 0.02507816068828106, sum: 0.7919613132253289),
    ExpectedInitializer(name: "net.5.weight", dims: [10, 128],
                        firstValues: [0.0627991333603859, -0.021660735830664635, 0.06348791718482971],
                        lastValue: 0.08967993408441544, sum: -15.508099132694042),
    ExpectedInitializer(name: "net.5.bias", dims: [10],
                        firstValues: [-0.09941902756690979, -0.05808413773775101, 0.07581527531147003],
                        lastValue: -0.05884468927979469, sum: -0.11796973273158073),
]

/// Checks the reader against the MNIST MLP that `torch.onnx.export` wrote (torch 2.10,
/// IR version 7, opset 13). The expected numbers hold for that file only, so they must be
/// regenerated with Python's `onnx` package whenever the model is retrained.
@Suite(
    "ONNX MNIST MLP model",
    .enabled(if: FileManager.default.fileExists(atPath: mnistModelURL.path),
             "models/mnist-mlp.onnx not found under the package root; export the MNIST model first")
)
struct ONNXMNISTModelTests {
    let model: ONNXModel

    init() throws {
        model = try ONNXModel(contentsOf: mnistModelURL)
    }

    @Test func headerFields() {
        #expect(model.irVersion == 7)
        #expect(model.opsetVersion == 13)
        #expect(model.producerName == "pytorch")
    }

    @Test func nodeSequence() throws {
        let nodes = model.graph.nodes
        #expect(nodes.map(\.opType) == ["Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"])
        #expect(try nodes[0].int("axis", default: nil) == 1)
        for gemm in nodes where gemm.opType == "Gemm" {
            #expect(try gemm.int("transB", default: 0) == 1, "\(gemm.displayName)")
            #expect(try gemm.float("alpha", default: 1) == 1, "\(gemm.displayName)")
        }
        #expect(nodes[1].inputs == ["/net/net.0/Flatten_output_0", "net.1.weight", "net.1.bias"])
        #expect(nodes[5].outputs == ["logits"])
    }

    @Test func graphSignature() throws {
        let input = try #require(model.graph.inputs.first)
        #expect(input.name == "input")
        #expect(input.elementType == .float)
        #expect(input.shape == [.parameter("batch"), .value(1), .value(28), .value(28)])
        let output = try #require(model.graph.outputs.first)
        #expect(output.name == "logits")
        #expect(output.shape == [.parameter("batch"), .value(10)])
    }

    @Test func initializerOrder() {
        #expect(model.graph.initializers.map(\.name) == expectedInitializers.map(\.name))
    }

    @Test(arguments: expectedInitializers)
    fileprivate func initializerValues(_ expected: ExpectedInitializer) throws {
        let tensor = try #require(model.graph.initializer(named: expected.name))
        #expect(tensor.dataType == .float)
        #expect(tensor.dims == expected.dims)
        #expect(tensor.floatValues.count == tensor.elementCount)
        #expect(Array(tensor.floatValues.prefix(3)) == expected.firstValues)
        #expect(tensor.floatValues.last == expected.lastValue)

        // float64 accumulation matches numpy's to far better than the 1e-3 relative tolerance.
        let sum = tensor.floatValues.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - expected.sum) <= 1e-3 * abs(expected.sum), "sum \(sum), expected \(expected.sum)")
    }
}
