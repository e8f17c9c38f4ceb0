import Testing
import ModelImport

/// A tensor whose data field length either matches its type and element count or not.
struct TensorLengthCase: CustomTestStringConvertible, Sendable {
    let label: String
    let dataType: ONNXDataType
    let dims: [Int64]
    let write: @Sendable (inout ProtobufEncoder) -> Void
    let isValid: Bool

    var testDescription: String { label }
}

private let tensorLengthCases: [TensorLengthCase] = [
    // Two 4-bit values share a byte, so 5 elements take 3 bytes.
    TensorLengthCase(label: "INT4 raw_data rounds up", dataType: .int4, dims: [5],
                     write: { $0.bytes(9, [0, 0, 0]) }, isValid: true),
    TensorLengthCase(label: "INT4 raw_data one byte short", dataType: .int4, dims: [5],
                     write: { $0.bytes(9, [0, 0]) }, isValid: false),
    // Four 2-bit values share a byte.
    TensorLengthCase(label: "UINT2 raw_data", dataType: .uint2, dims: [9],
                     write: { $0.bytes(9, [0, 0, 0]) }, isValid: true),
    // 6-bit floats pack four values into 3 bytes: ceil(6 * 5 / 8) = 4.
    TensorLengthCase(label: "FLOAT6E2M3 raw_data", dataType: .float6e2m3, dims: [5],
                     write: { $0.bytes(9, [0, 0, 0, 0]) }, isValid: true),
    TensorLengthCase(label: "FLOAT16 raw_data", dataType: .float16, dims: [3],
                     write: { $0.bytes(9, [0, 0, 0, 0, 0, 0]) }, isValid: true),
    TensorLengthCase(label: "FLOAT16 in int32_data", dataType: .float16, dims: [2],
                     write: { $0.packedInts(5, [0x3C00, 0xBC00]) }, isValid: true),
    // Each int32_data entry of a 4-bit type carries two elements.
    TensorLengthCase(label: "UINT4 in int32_data", dataType: .uint4, dims: [3],
                     write: { $0.packedInts(5, [0x21, 0x03]) }, isValid: true),
    TensorLengthCase(label: "BOOL raw_data", dataType: .bool, dims: [2, 2],
                     write: { $0.bytes(9, [1, 0, 0, 1]) }, isValid: true),
    // Complex values store real and imaginary parts as two floats.
    TensorLengthCase(label: "COMPLEX64 float_data", dataType: .complex64, dims: [2],
                     write: { $0.packedFloats(4, [1, 2, 3, 4]) }, isValid: true),
    TensorLengthCase(label: "COMPLEX64 float_data half length", dataType: .complex64, dims: [2],
                     write: { $0.packedFloats(4, [1, 2]) }, isValid: false),
    TensorLengthCase(label: "COMPLEX128 raw_data", dataType: .complex128, dims: [1],
                     write: { $0.bytes(9, Array(repeating: 0, count: 16)) }, isValid: true),
    TensorLengthCase(label: "UINT64 in uint64_data", dataType: .uint64, dims: [2],
                     write: { $0.packedInts(11, [1, -1]) }, isValid: true),
    TensorLengthCase(label: "STRING in string_data", dataType: .string, dims: [2],
                     write: { tensor in
                         tensor.string(6, "a")
                         tensor.string(6, "b")
                     }, isValid: true),
    TensorLengthCase(label: "STRING in raw_data", dataType: .string, dims: [1],
                     write: { $0.bytes(9, [0x61]) }, isValid: false),
    TensorLengthCase(label: "empty tensor without data", dataType: .float, dims: [3, 0],
                     write: { _ in }, isValid: true),
]

@Suite("ONNX data types")
struct ONNXDataTypeTests {
    @Test(arguments: tensorLengthCases)
    func tensorDataLength(_ testCase: TensorLengthCase) throws {
        let bytes = ONNXTestMessage.model(initializer: { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "t", dims: testCase.dims, dataType: Int64(testCase.dataType.rawValue))
            testCase.write(&tensor)
        })
        if testCase.isValid {
            let model = try ONNXModel(bytes: bytes, source: "types.onnx")
            let tensor = try #require(model.graph.initializers.first)
            #expect(tensor.dataType == testCase.dataType)
            #expect(tensor.dims == testCase.dims.map { Int($0) })
            #expect(tensor.floatValues.isEmpty)
        } else {
            let error = try #require(throws: ONNXError.self) { try ONNXModel(bytes: bytes, source: "types.onnx") }
            #expect(error.description.contains("tensor 't'"), "\(error)")
            #expect(error.description.contains(testCase.dataType.name), "\(error)")
        }
    }

    @Test func dataTypeNames() {
        #expect(ONNXDataType.float.name == "FLOAT")
        #expect(ONNXDataType.float8e4m3fn.name == "FLOAT8E4M3FN")
        #expect(ONNXDataType.bfloat16.rawValue == 16)
        #expect(ONNXDataType(rawValue: 28) == .float6e3m2)
        #expect(ONNXDataType(rawValue: 29) == nil)
    }

    @Test func graphAndUnsupportedAttributes() throws {
        let bytes = ONNXTestMessage.model(node: { node in
            node.string(4, "If")
            node.message(5) { attribute in
                attribute.string(1, "then_branch")
                attribute.int(20, 5)  // GRAPH
                attribute.message(6) { $0.string(2, "body") }
            }
            node.message(5) { attribute in
                attribute.string(1, "tensor_list")
                attribute.int(20, 9)  // TENSORS
                attribute.message(10) { ONNXTestMessage.tensorHeader(&$0, name: "", dims: [0], dataType: 1) }
            }
            node.message(5) { attribute in
                attribute.string(1, "negative")
                attribute.int(20, 2)
                attribute.int(3, -7)
            }
        })
        let node = try #require(ONNXModel(bytes: bytes, source: "if.onnx").graph.nodes.first)
        #expect(node.attributes["then_branch"]?.typeName == "GRAPH")
        #expect(node.attributes["tensor_list"]?.typeName == "TENSORS")
        #expect(try node.int("negative", default: nil) == -7)
        let error = try #require(throws: ONNXError.self) { try node.ints("tensor_list", default: []) }
        #expect(error.description.contains("'tensor_list' of type TENSORS, expected INTS"))
    }

    @Test func opsetVersionSelection() throws {
        var model = ProtobufEncoder()
        model.int(1, 9)
        model.message(8) { opset in
            opset.string(1, "com.microsoft")
            opset.int(2, 1)
        }
        model.message(8) { opset in
            opset.string(1, "ai.onnx")
            opset.int(2, 17)
        }
        model.message(7) { $0.string(2, "g") }
        #expect(try ONNXModel(bytes: model.bytes, source: "opset.onnx").opsetVersion == 17)

        model.message(8) { $0.int(2, 18) }
        let error = try #require(throws: ONNXError.self) { try ONNXModel(bytes: model.bytes, source: "opset.onnx") }
        #expect(error.description.contains("opset_import[2]"))
        #expect(error.description.contains("versions 17 and 18"))
    }

    @Test func missingOpsetImportGivesZero() throws {
        var model = ProtobufEncoder()
        model.int(1, 3)
        model.message(7) { $0.string(2, "g") }
        let decoded = try ONNXModel(bytes: model.bytes, source: "old.onnx")
        #expect(decoded.opsetVersion == 0)
        #expect(decoded.irVersion == 3)
        #expect(decoded.graph.nodes.isEmpty)
    }
}
