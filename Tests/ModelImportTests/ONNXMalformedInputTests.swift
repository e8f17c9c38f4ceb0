import Foundation
import Testing
import ModelImport

/// A malformed input, the words its error message must contain, and words it must not.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let label: String
    let bytes: [UInt8]
    let expectedWords: [String]
    var absentWords: [String] = []

    var testDescription: String { label }
}

/// Encodes a float initializer named `w` with the given dims and a body written by `data`.
private func floatTensorModel(dims: [Int64], data: @escaping (inout ProtobufEncoder) -> Void) -> [UInt8] {
    ONNXTestMessage.model(initializer: { tensor in
        ONNXTestMessage.tensorHeader(&tensor, name: "w", dims: dims, dataType: 1)
        data(&tensor)
    })
}

/// Encodes a Relu node named `n` whose last attribute message is `attributeBody`, verbatim.
private func nodeWithAttributeBytes(_ attributeBody: [UInt8]) -> [UInt8] {
    ONNXTestMessage.model(node: { node in
        node.string(3, "n")
        node.string(4, "Relu")
        node.bytes(5, attributeBody)
    })
}

private let malformedCases: [MalformedCase] = [
    // Not a protobuf ModelProto at all.
    MalformedCase(label: "empty file", bytes: [], expectedWords: ["not an ONNX model", "empty"]),
    MalformedCase(label: "text file", bytes: Array("name,value\nalpha,1\n".utf8), expectedWords: ["not an ONNX model"]),
    MalformedCase(label: "gzip file", bytes: [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00], expectedWords: ["not an ONNX model", "gzip"]),
    MalformedCase(label: "model without graph", bytes: [0x08, 0x08], expectedWords: ["not an ONNX model", "no graph field"]),
    MalformedCase(label: "model without ir_version", bytes: [0x3A, 0x00], expectedWords: ["not an ONNX model", "no ir_version"]),
    MalformedCase(label: "garbage length before ir_version", bytes: [0x3A, 0x7F, 0x00, 0x08, 0x08],
                  expectedWords: ["not an ONNX model", "truncated field 7", "127 bytes"]),
    MalformedCase(label: "model truncated inside graph", bytes: [0x08, 0x08, 0x3A, 0x7F, 0x00],
                  expectedWords: ["truncated field 7", "127 bytes", "truncated or corrupt"],
                  absentWords: ["not an ONNX model"]),

    // Wire-level errors inside nested messages.
    MalformedCase(label: "varint longer than 10 bytes",
                  bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x18] + Array(repeating: 0xFF, count: 11) + [0x01]),
                  expectedWords: ["graph.node[0].attribute[0]", "longer than 10 bytes"]),
    MalformedCase(label: "truncated varint", bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x18, 0xFF, 0xFF]),
                  expectedWords: ["graph.node[0].attribute[0]", "truncated varint"]),
    MalformedCase(label: "truncated fixed32", bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x15, 0x00, 0x00]),
                  expectedWords: ["truncated fixed32", "needs 4 bytes, 2 left"]),
    MalformedCase(label: "truncated fixed64",
                  bytes: ONNXTestMessage.model(initializer: { tensor in
                      ONNXTestMessage.tensorHeader(&tensor, name: "d", dims: [1], dataType: 11)
                      tensor.bytes.append(contentsOf: [0x51, 0x00, 0x00, 0x00])  // double_data, fixed64, 3 bytes
                  }),
                  expectedWords: ["graph.initializer[0]", "truncated fixed64"]),
    MalformedCase(label: "length prefix past the message",
                  bytes: floatTensorModel(dims: [2]) { tensor in
                      tensor.key(9, wireType: 2)
                      tensor.rawVarint(1000)
                      tensor.bytes.append(contentsOf: [0, 0, 0, 0])
                  },
                  expectedWords: ["graph.initializer[0]", "truncated field 9", "1000 bytes"]),
    MalformedCase(label: "group wire type", bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x1B]),
                  expectedWords: ["group wire type"]),
    MalformedCase(label: "invalid wire type 7", bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x1F]),
                  expectedWords: ["invalid protobuf wire type 7"]),
    MalformedCase(label: "field number 0", bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0x00, 0x00]),
                  expectedWords: ["invalid protobuf field number 0"]),
    MalformedCase(label: "wire type mismatch on op_type",
                  bytes: ONNXTestMessage.model(node: { node in node.int(4, 3) }),
                  expectedWords: ["graph.node[0]", "op_type", "wire type varint, expected length-delimited"]),
    MalformedCase(label: "wire type mismatch on data_type",
                  bytes: ONNXTestMessage.model(initializer: { tensor in tensor.float(2, 1) }),
                  expectedWords: ["data_type", "wire type fixed32, expected varint"]),
    MalformedCase(label: "packed floats not a multiple of 4", bytes: floatTensorModel(dims: [1]) { $0.bytes(4, [0, 0, 0x80, 0x3F, 0]) },
                  expectedWords: ["float_data", "5 bytes", "not a multiple"]),

    // Tensor contents that do not match the declared type and shape.
    MalformedCase(label: "negative dim", bytes: floatTensorModel(dims: [2, -3]) { $0.packedFloats(4, [1]) },
                  expectedWords: ["tensor 'w'", "invalid dimension -3", "[2, -3]"]),
    MalformedCase(label: "dims product overflows",
                  bytes: floatTensorModel(dims: [1 << 32, 1 << 32]) { $0.packedFloats(4, [1]) },
                  expectedWords: ["tensor 'w'", "overflows"]),
    MalformedCase(label: "raw_data size overflows",
                  bytes: floatTensorModel(dims: [1 << 62]) { $0.bytes(9, [0, 0, 0, 0]) },
                  expectedWords: ["tensor 'w'", "overflows"]),
    MalformedCase(label: "raw_data too short", bytes: floatTensorModel(dims: [2, 3]) { $0.bytes(9, Array(repeating: 0, count: 20)) },
                  expectedWords: ["tensor 'w'", "FLOAT", "[2, 3]", "needs 24 bytes in raw_data", "has 20"]),
    MalformedCase(label: "float_data count mismatch", bytes: floatTensorModel(dims: [4]) { $0.packedFloats(4, [1, 2, 3]) },
                  expectedWords: ["tensor 'w'", "needs 4 values in float_data", "has 3"]),
    MalformedCase(label: "absurd dims without data", bytes: floatTensorModel(dims: [1_000_000, 1_000_000]) { _ in },
                  expectedWords: ["tensor 'w'", "1000000000000 elements", "no data field"]),
    MalformedCase(label: "raw_data and float_data together",
                  bytes: floatTensorModel(dims: [1]) { tensor in
                      tensor.bytes(9, [0, 0, 0, 0])
                      tensor.packedFloats(4, [1])
                  },
                  expectedWords: ["tensor 'w'", "raw_data, float_data", "more than one field"]),
    MalformedCase(label: "int64_data on a FLOAT tensor", bytes: floatTensorModel(dims: [1]) { $0.packedInts(7, [1]) },
                  expectedWords: ["tensor 'w'", "int64_data", "does not allow"]),
    MalformedCase(label: "unknown data_type",
                  bytes: ONNXTestMessage.model(initializer: { ONNXTestMessage.tensorHeader(&$0, name: "q", dims: [], dataType: 99) }),
                  expectedWords: ["tensor 'q'", "unknown data_type 99", "0 through 28"]),
    MalformedCase(label: "external data",
                  bytes: floatTensorModel(dims: [2]) { tensor in
                      tensor.message(13) { entry in
                          entry.string(1, "location")
                          entry.string(2, "weights.bin")
                      }
                      tensor.int(14, 1)
                  },
                  expectedWords: ["tensor 'w'", "external", "save_as_external_data=False"]),
    MalformedCase(label: "duplicate initializer names",
                  bytes: ONNXTestMessage.model(graph: { graph in
                      graph.string(2, "g")
                      for _ in 0..<2 {
                          graph.message(5) { ONNXTestMessage.tensorHeader(&$0, name: "w", dims: [0], dataType: 1) }
                      }
                  }),
                  expectedWords: ["more than one initializer named 'w'"]),

    MalformedCase(label: "control characters in tensor name",
                  bytes: ONNXTestMessage.model(initializer: { ONNXTestMessage.tensorHeader(&$0, name: "w\nx\u{7}", dims: [], dataType: 99) }),
                  expectedWords: ["tensor 'w\\u{A}x\\u{7}'"]),

    // Nodes and attributes.
    MalformedCase(label: "node without op_type", bytes: ONNXTestMessage.model(node: { $0.string(3, "lonely") }),
                  expectedWords: ["graph.node[0]", "node 'lonely' has no op_type"]),
    MalformedCase(label: "duplicate attribute",
                  bytes: ONNXTestMessage.model(node: { node in
                      node.string(3, "fc")
                      node.string(4, "Gemm")
                      for _ in 0..<2 {
                          node.message(5) { attribute in
                              attribute.string(1, "alpha")
                              attribute.int(20, 1)
                              attribute.float(2, 1)
                          }
                      }
                  }),
                  expectedWords: ["node 'fc' (Gemm)", "'alpha' more than once"]),
    MalformedCase(label: "unknown attribute type",
                  bytes: nodeWithAttributeBytes([0x0A, 0x01, 0x61, 0xA0, 0x01, 0x63]),
                  expectedWords: ["attribute 'a'", "unknown type 99"]),
]

@Suite("ONNX malformed input")
struct ONNXMalformedInputTests {
    @Test(arguments: malformedCases)
    func malformedInputThrows(_ testCase: MalformedCase) throws {
        let error = try #require(throws: ONNXError.self) {
            try ONNXModel(bytes: testCase.bytes, source: "bad.onnx")
        }
        #expect(error.description.hasPrefix("bad.onnx: "), "\(error)")
        for word in testCase.expectedWords {
            #expect(error.description.contains(word), "'\(word)' missing from: \(error)")
        }
        for word in testCase.absentWords {
            #expect(!error.description.contains(word), "'\(word)' unexpected in: \(error)")
        }
        #expect(!error.description.contains("\n"))
    }

    @Test func missingFileNamesPath() throws {
        let url = URL(fileURLWithPath: "/nonexistent/dir/model.onnx")
        let error = try #require(throws: ONNXError.self) { try ONNXModel(contentsOf: url) }
        #expect(error.description.contains("/nonexistent/dir/model.onnx"))
        #expect(error.description.contains("not found"))
    }

    @Test func fileErrorsNameFilePath() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-reader-\(UUID().uuidString).onnx")
        try Data("not a model\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let error = try #require(throws: ONNXError.self) { try ONNXModel(contentsOf: url) }
        #expect(error.description.hasPrefix(url.path + ": not an ONNX model"))
    }

    @Test func fileDecodesFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-reader-\(UUID().uuidString).onnx")
        try Data(ONNXTinyModelTests.tinyModelBytes()).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let model = try ONNXModel(contentsOf: url)
        #expect(model.graph.nodes.count == 4)
        #expect(model.graph.nodes[0].source == url.path)
    }
}
