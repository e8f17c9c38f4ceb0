import Accelerator
import DeviceModel
import Foundation
import ModelImport
import Testing

/// Builds one-layer ONNX graphs in memory and checks the lowered convolution, run on the
/// float path and on ideal crossbar tiles, against a direct convolution.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var label: String
    var channels = 3, height = 9, width = 11, outputs = 4
    var kernel = (3, 3)
    var strides: [Int64] = [1, 1]
    var pads: [Int64] = [0, 0, 0, 0]
    var dilations: [Int64] = [1, 1]
    var testDescription: String { label }
}

enum ConvolutionFixture {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        let generator = try! RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float(generator.uniform() * 2 - 1) }
    }

    static func graph(_ c: ConvolutionCase, weights: [Float], bias: [Float], extraNodes: [ONNXNode] = [],
                      extraInitializers: [ONNXTensor] = [], output: String = "y") -> ONNXModel {
        let conv = ONNXNode(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
                            attributes: ["strides": .ints(c.strides), "pads": .ints(c.pads), "dilations": .ints(c.dilations),
                                         "kernel_shape": .ints([Int64(c.kernel.0), Int64(c.kernel.1)])],
                            index: 0, source: "test")
        let initializers = [
            ONNXTensor(name: "w", dims: [c.outputs, c.channels, c.kernel.0, c.kernel.1], dataType: .float, floatValues: weights),
            ONNXTensor(name: "b", dims: [c.outputs], dataType: .float, floatValues: bias),
        ] + extraInitializers
        let input = ONNXValueInfo(name: "x", elementType: .float,
                                  shape: [.parameter("batch"), .value(c.channels), .value(c.height), .value(c.width)])
        let graph = ONNXGraph(name: "g", nodes: [conv] + extraNodes, initializers: initializers, inputs: [input],
                              outputs: [ONNXValueInfo(name: output, elementType: .float, shape: nil)])
        return ONNXModel(irVersion: 7, opsetVersion: 13, producerName: "test", producerVersion: "", graph: graph)
    }

    /// The direct definition of a 2-D convolution, in double precision, output [C_out, H_out, W_out].
    static func direct(_ c: ConvolutionCase, input: [Float], weights: [Float], bias: [Float]) -> [Double] {
        let (kh, kw) = c.kernel
        let (sy, sx) = (Int(c.strides[0]), Int(c.strides[1]))
        let (dy, dx) = (Int(c.dilations[0]), Int(c.dilations[1]))
        let (top, left) = (Int(c.pads[0]), Int(c.pads[1]))
        let outHeight = (c.height + Int(c.pads[0] + c.pads[2]) - dy * (kh - 1) - 1) / sy + 1
        let outWidth = (c.width + Int(c.pads[1] + c.pads[3]) - dx * (kw - 1) - 1) / sx + 1
        var output: [Double] = []
        for o in 0..<c.outputs {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    var total = Double(bias[o])
                    for ch in 0..<c.channels {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let y = oy * sy - top + ky * dy
                                let x = ox * sx - left + kx * dx
                                guard y >= 0, y < c.height, x >= 0, x < c.width else { continue }
                                total += Double(input[(ch * c.height + y) * c.width + x])
                                    * Double(weights[((o * c.channels + ch) * kh + ky) * kw + kx])
                            }
                        }
                    }
                    output.append(total)
                }
            }
        }
        return output
    }
}

@Suite struct ConvolutionMappingTests {
    static let cases: [ConvolutionCase] = [
        ConvolutionCase(label: "stride 2", strides: [2, 2]),
        ConvolutionCase(label: "padding 1", pads: [1, 1, 1, 1]),
        ConvolutionCase(label: "asymmetric padding", pads: [0, 2, 1, 0]),
        ConvolutionCase(label: "3 x 5 kernel", kernel: (3, 5)),
        ConvolutionCase(label: "dilation 2", dilations: [2, 2]),
        // Same-size outputs, copied a whole plane at a time: dilated, and padded unevenly.
        ConvolutionCase(label: "dilation 2, padding 2", pads: [2, 2, 2, 2], dilations: [2, 2]),
        ConvolutionCase(label: "same size, uneven padding", pads: [2, 0, 0, 2]),
        ConvolutionCase(label: "one input channel", channels: 1),
        // 16 * 3 * 3 = 144 rows and 40 columns: more than one 32 x 32 tile both ways.
        ConvolutionCase(label: "larger than a tile", channels: 16, outputs: 40, pads: [1, 1, 1, 1]),
    ]

    @Test(arguments: cases)
    func mappingEqualsDirectConvolution(_ c: ConvolutionCase) throws {
        let weights = ConvolutionFixture.random(c.outputs * c.channels * c.kernel.0 * c.kernel.1, seed: 1)
        let bias = ConvolutionFixture.random(c.outputs, seed: 2)
        let batch = 2
        let input = ConvolutionFixture.random(batch * c.channels * c.height * c.width, seed: 3)
        let network = try NetworkLowering.lower(ConvolutionFixture.graph(c, weights: weights, bias: bias), source: "test", name: "conv")
        let activations = Activations(batch: batch, shape: network.inputShape, values: input)
        let scales = [0: Float(1)]
        let programmed = ProgrammedNetwork.program(network, settings: try Fixtures.idealSettings(tile: TileShape(rows: 32, columns: 32)),
                                                   inputFullScale: scales, generator: try RandomGenerator(seed: 1))
        let float = network.forward(activations, engine: FloatEngine()).values
        let analog = network.forward(activations, engine: AnalogEngine(programmed: programmed)).values
        let sampleSize = input.count / batch
        let expected = (0..<batch).flatMap { b in
            ConvolutionFixture.direct(c, input: Array(input[b * sampleSize..<(b + 1) * sampleSize]), weights: weights, bias: bias)
        }
        #expect(float.count == expected.count)
        #expect(analog.count == expected.count)
        let floatError = zip(float, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        let analogError = zip(analog, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(floatError < 1e-4, "float path error \(floatError)")
        #expect(analogError < 1e-4, "crossbar path error \(analogError)")
    }

    @Test func batchNormalizationFoldsIntoConvolution() throws {
        let c = ConvolutionCase(label: "bn", pads: [1, 1, 1, 1])
        let weights = ConvolutionFixture.random(c.outputs * c.channels * 9, seed: 4)
        let bias = ConvolutionFixture.random(c.outputs, seed: 5)
        let gamma: [Float] = [1.5, 0.5, -0.7, 2.0], beta: [Float] = [0.1, -0.2, 0.3, 0]
        let mean: [Float] = [0.2, -0.1, 0, 0.4], variance: [Float] = [0.5, 2.0, 1.0, 0.1]
        let bn = ONNXNode(name: "bn", opType: "BatchNormalization", inputs: ["y", "g", "be", "m", "v"], outputs: ["z"],
                          attributes: ["epsilon": .float(1e-5)], index: 1, source: "test")
        let tensors = zip(["g", "be", "m", "v"], [gamma, beta, mean, variance]).map {
            ONNXTensor(name: $0, dims: [4], dataType: .float, floatValues: $1)
        }
        let model = ConvolutionFixture.graph(c, weights: weights, bias: bias, extraNodes: [bn], extraInitializers: tensors, output: "z")
        let network = try NetworkLowering.lower(model, source: "test", name: "bn")
        #expect(network.operations.count == 1, "the batch norm should be folded, not kept")
        let mapping = TileScheduler.map(network, tile: TileShape(rows: 128, columns: 128))
        #expect(mapping.first?.foldedBatchNormalization == "bn")

        let input = ConvolutionFixture.random(c.channels * c.height * c.width, seed: 6)
        let folded = network.forward(Activations(batch: 1, shape: network.inputShape, values: input), engine: FloatEngine()).values
        let plain = ConvolutionFixture.direct(c, input: input, weights: weights, bias: bias)
        let pixels = plain.count / c.outputs
        var worst = 0.0
        for (i, value) in plain.enumerated() {
            let ch = i / pixels
            let normalized = Double(gamma[ch]) * (value - Double(mean[ch])) / (Double(variance[ch]) + 1e-5).squareRoot() + Double(beta[ch])
            worst = max(worst, abs(Double(folded[i]) - normalized) / max(1, abs(normalized)))
        }
        #expect(worst < 1e-5, "folding changed outputs by \(worst)")
    }

    @Test func groupedConvolutionRejected() throws {
        var model = ConvolutionFixture.graph(ConvolutionCase(label: "g"), weights: ConvolutionFixture.random(4 * 3 * 9, seed: 1),
                                             bias: [0, 0, 0, 0])
        model.graph.nodes[0].attributes["group"] = .int(3)
        #expect {
            try NetworkLowering.lower(model, source: "grouped.onnx", name: "g")
        } throws: { error in
            "\(error)".contains("grouped.onnx") && "\(error)".contains("group = 3")
        }
    }

    @Test func unsupportedOperatorNamesNodeAndList() throws {
        var model = ConvolutionFixture.graph(ConvolutionCase(label: "lstm"), weights: ConvolutionFixture.random(4 * 3 * 9, seed: 1),
                                             bias: [0, 0, 0, 0])
        model.graph.nodes.append(ONNXNode(name: "encoder_lstm", opType: "LSTM", inputs: ["y"], outputs: ["h"], index: 1, source: "test"))
        #expect {
            try NetworkLowering.lower(model, source: "lstm.onnx", name: "lstm")
        } throws: { error in
            let text = "\(error)"
            return text.contains("encoder_lstm") && text.contains("LSTM")
                && text.contains("supported operators: \(NetworkLowering.supportedOperators.joined(separator: ", "))")
        }
    }
}

@Suite struct NonFiniteWeightTests {
    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteWeightRejectedWithTensorName(_ bad: Float) throws {
        var weights = ConvolutionFixture.random(4 * 3 * 9, seed: 1)
        weights[17] = bad
        let model = ConvolutionFixture.graph(ConvolutionCase(label: "bad"), weights: weights, bias: [0, 0, 0, 0])
        #expect {
            try NetworkLowering.lower(model, source: "bad.onnx", name: "bad")
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.onnx") && text.contains("tensor 'w'") && text.contains("element 17")
        }
    }
}
