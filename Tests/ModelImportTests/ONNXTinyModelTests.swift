import Testing
import ModelImport

/// Decodes a hand-encoded model that covers each supported field encoding and checks every
/// decoded value.
@Suite("ONNX tiny model")
struct ONNXTinyModelTests {
    static let weightValues: [Float] = [0.5, -1.25, 3.0, 1e-3, -0.0, 65504.0]

    /// Encodes a model with four nodes and eight initializers. The nodes are a Gemm with
    /// transB = 1, an unnamed Conv with INTS attributes in packed, unpacked and mixed encodings,
    /// a Constant with a tensor attribute, and a custom-domain node with FLOATS, STRINGS and
    /// untyped attributes. The initializers use raw_data, packed and unpacked float_data,
    /// int64_data and int32_data.
    static func tinyModelBytes() -> [UInt8] {
        ONNXTestMessage.model(graph: { graph in
            graph.string(2, "tiny")
            graph.message(1, gemmNode)
            graph.message(1, convNode)
            graph.message(1, constantNode)
            graph.message(1, customNode)
            addInitializers(&graph)
            graph.message(11) { ONNXTestMessage.valueInfo(&$0, name: "x", elementType: 1, dims: [.parameter("batch"), .value(3)]) }
            graph.message(12) { ONNXTestMessage.valueInfo(&$0, name: "y", elementType: 1, dims: [.parameter("batch"), .unknown]) }
        })
    }

    static func gemmNode(_ node: inout ProtobufEncoder) {
        node.string(1, "x")
        node.string(1, "W")
        node.string(1, "b")
        node.string(2, "y")
        node.string(3, "fc")
        node.string(4, "Gemm")
        node.message(5) { attribute in
            attribute.string(1, "transB")
            attribute.int(20, 2)  // INT
            attribute.int(3, 1)
        }
        node.message(5) { attribute in
            attribute.string(1, "alpha")
            attribute.int(20, 1)  // FLOAT
            attribute.float(2, 0.5)
        }
    }

    static func convNode(_ node: inout ProtobufEncoder) {
        node.string(1, "y")
        node.string(1, "")  // omitted optional input
        node.string(2, "z")
        node.string(4, "Conv")
        node.message(5) { attribute in
            attribute.string(1, "pads")
            attribute.int(20, 7)  // INTS
            attribute.packedInts(8, [1, 2, -3, 4_000_000_000])
        }
        node.message(5) { attribute in
            attribute.string(1, "strides")
            attribute.int(20, 7)
            attribute.unpackedInts(8, [2, -1])
        }
        node.message(5) { attribute in
            attribute.string(1, "dilations")
            attribute.int(20, 7)
            attribute.packedInts(8, [5, 6])
            attribute.unpackedInts(8, [7])
        }
    }

    static func constantNode(_ node: inout ProtobufEncoder) {
        node.string(2, "shape")
        node.string(3, "const")
        node.string(4, "Constant")
        node.message(5) { attribute in
            attribute.string(1, "value")
            attribute.int(20, 4)  // TENSOR
            attribute.message(5) { tensor in
                ONNXTestMessage.tensorHeader(&tensor, name: "", dims: [2], dataType: 7)
                tensor.packedInts(7, [-1, 784])
            }
        }
    }

    static func customNode(_ node: inout ProtobufEncoder) {
        node.string(1, "z")
        node.string(2, "out")
        node.string(3, "custom")
        node.string(4, "Scale")
        node.string(7, "com.example")
        node.message(5) { attribute in
            attribute.string(1, "packed_scales")
            attribute.int(20, 6)  // FLOATS
            attribute.packedFloats(7, [0.25, -1.5])
        }
        node.message(5) { attribute in
            attribute.string(1, "unpacked_scales")
            attribute.int(20, 6)
            attribute.unpackedFloats(7, [2.0, -0.125])
        }
        node.message(5) { attribute in
            attribute.string(1, "labels")
            attribute.int(20, 8)  // STRINGS
            attribute.string(9, "cat")
            attribute.string(9, "dog")
        }
        node.message(5) { attribute in
            // No type field, as in files from before AttributeProto.type existed.
            attribute.string(1, "mode")
            attribute.string(4, "linear")
        }
    }

    static func addInitializers(_ graph: inout ProtobufEncoder) {
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "W", dims: [2, 3], dataType: 1)
            tensor.bytes(9, littleEndianBytes(weightValues.map(\.bitPattern)))
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "b", dims: [2], dataType: 1)
            tensor.packedFloats(4, [0.1, -0.2])
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "c", dims: [3], dataType: 1)
            tensor.unpackedFloats(4, [7.0, 8.5, -9.75])
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "raw_int64", dims: [3], dataType: 7)
            tensor.bytes(9, littleEndianBytes([Int64(-5), Int64.max, 42]))
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "typed_int64", dims: [2], dataType: 7)
            tensor.unpackedInts(7, [Int64.min, 9])
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "int32", dims: [3], dataType: 6)
            tensor.packedInts(5, [-7, 2_147_483_647, 0])
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "double", dims: [], dataType: 11)
            tensor.bytes(9, littleEndianBytes([Double(2.5).bitPattern]))
        }
        graph.message(5) { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "uint8", dims: [4], dataType: 2)
            tensor.bytes(9, [1, 2, 3, 255])
        }
    }

    let model: ONNXModel

    init() throws {
        model = try ONNXModel(bytes: Self.tinyModelBytes(), source: "tiny.onnx")
    }

    @Test func modelHeaderFields() {
        #expect(model.irVersion == 8)
        #expect(model.opsetVersion == 13)
        #expect(model.producerName == "test-encoder")
        #expect(model.producerVersion == "0.1")
        #expect(model.graph.name == "tiny")
    }

    @Test func nodeFieldsAndOrder() {
        let nodes = model.graph.nodes
        #expect(nodes.map(\.opType) == ["Gemm", "Conv", "Constant", "Scale"])
        #expect(nodes.map(\.index) == [0, 1, 2, 3])
        #expect(nodes[0].inputs == ["x", "W", "b"])
        #expect(nodes[0].outputs == ["y"])
        #expect(nodes[1].inputs == ["y", ""])
        #expect(nodes[3].domain == "com.example")
        #expect(nodes[0].domain == "")
        #expect(nodes.allSatisfy { $0.source == "tiny.onnx" })
    }

    @Test func displayNameFallsBackToOpType() {
        #expect(model.graph.nodes[0].displayName == "fc")
        #expect(model.graph.nodes[1].displayName == "Conv node #1")
    }

    @Test func gemmScalarAttributes() throws {
        let gemm = model.graph.nodes[0]
        #expect(try gemm.int("transB", default: 0) == 1)
        #expect(try gemm.int("transA", default: 0) == 0)
        #expect(try gemm.float("alpha", default: 1) == 0.5)
        #expect(try gemm.float("beta", default: 1) == 1)
        #expect(gemm.attributes.count == 2)
    }

    @Test func intsAttributeEncodings() throws {
        let conv = model.graph.nodes[1]
        #expect(try conv.ints("pads", default: nil) == [1, 2, -3, 4_000_000_000])
        #expect(try conv.ints("strides", default: nil) == [2, -1])
        #expect(try conv.ints("dilations", default: nil) == [5, 6, 7])
        #expect(try conv.ints("kernel_shape", default: [3, 3]) == [3, 3])
    }

    @Test func floatsStringsAndUntypedAttributes() throws {
        let custom = model.graph.nodes[3]
        #expect(try custom.floats("packed_scales", default: nil) == [0.25, -1.5])
        #expect(try custom.floats("unpacked_scales", default: nil) == [2.0, -0.125])
        #expect(try custom.string("mode", default: nil) == "linear")
        guard case .strings(let labels)? = custom.attributes["labels"] else {
            Issue.record("labels is \(String(describing: custom.attributes["labels"])), expected STRINGS")
            return
        }
        #expect(labels == ["cat", "dog"])
    }

    @Test func tensorAttribute() throws {
        let value = try model.graph.nodes[2].tensor("value")
        #expect(value.dataType == .int64)
        #expect(value.dims == [2])
        #expect(value.int64Values == [-1, 784])
    }

    @Test func floatInitializers() throws {
        let weight = try #require(model.graph.initializer(named: "W"))
        #expect(weight.dims == [2, 3])
        #expect(weight.dataType == .float)
        #expect(weight.elementCount == 6)
        #expect(weight.floatValues == Self.weightValues)
        #expect(weight.floatValues[4].sign == .minus)
        #expect(weight.int64Values.isEmpty)

        let packed = try #require(model.graph.initializer(named: "b"))
        #expect(packed.floatValues == [0.1, -0.2])
        let unpacked = try #require(model.graph.initializer(named: "c"))
        #expect(unpacked.floatValues == [7.0, 8.5, -9.75])
    }

    @Test func integerAndDoubleInitializers() throws {
        let rawInt64 = try #require(model.graph.initializer(named: "raw_int64"))
        #expect(rawInt64.int64Values == [-5, Int64.max, 42])
        let typedInt64 = try #require(model.graph.initializer(named: "typed_int64"))
        #expect(typedInt64.int64Values == [Int64.min, 9])
        let int32 = try #require(model.graph.initializer(named: "int32"))
        #expect(int32.dataType == .int32)
        #expect(int32.int64Values == [-7, 2_147_483_647, 0])
        let double = try #require(model.graph.initializer(named: "double"))
        #expect(double.dims == [])
        #expect(double.elementCount == 1)
        #expect(double.floatValues == [2.5])
    }

    @Test func undecodedTypeKeepsShapeOnly() throws {
        let uint8 = try #require(model.graph.initializer(named: "uint8"))
        #expect(uint8.dataType == .uint8)
        #expect(uint8.dataType.name == "UINT8")
        #expect(uint8.dims == [4])
        #expect(uint8.floatValues.isEmpty)
        #expect(uint8.int64Values.isEmpty)
    }

    @Test func initializerOrderAndLookup() {
        #expect(model.graph.initializers.map(\.name) == ["W", "b", "c", "raw_int64", "typed_int64", "int32", "double", "uint8"])
        #expect(model.graph.initializer(named: "missing") == nil)
    }

    @Test func graphInputsAndOutputs() throws {
        let input = try #require(model.graph.inputs.first)
        #expect(model.graph.inputs.count == 1)
        #expect(input.name == "x")
        #expect(input.elementType == .float)
        #expect(input.shape == [.parameter("batch"), .value(3)])
        let output = try #require(model.graph.outputs.first)
        #expect(output.name == "y")
        #expect(output.shape == [.parameter("batch"), .unknown])
    }

    @Test func attributeTypeMismatchMessage() throws {
        let gemm = model.graph.nodes[0]
        let error = try #require(throws: ONNXError.self) { try gemm.float("transB", default: nil) }
        #expect(error.description.contains("tiny.onnx"))
        #expect(error.description.contains("node 'fc' (Gemm)"))
        #expect(error.description.contains("'transB' of type INT, expected FLOAT"))
    }

    @Test func missingRequiredAttributeMessage() throws {
        let conv = model.graph.nodes[1]
        let error = try #require(throws: ONNXError.self) { try conv.ints("kernel_shape", default: nil) }
        #expect(error.description.contains("Conv node #1"))
        #expect(error.description.contains("missing required attribute 'kernel_shape'"))
        let tensorError = try #require(throws: ONNXError.self) { try conv.tensor("value") }
        #expect(tensorError.description.contains("'value' of type TENSOR"))
    }
}
