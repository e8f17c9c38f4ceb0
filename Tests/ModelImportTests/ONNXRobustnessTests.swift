import Testing
@testable import ModelImport

/// SplitMix64, a small seeded generator so that every mutation run is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes one unknown field of each decodable wire type. The length-delimited payload is not
/// valid protobuf, so decoding passes only if the reader skips it without parsing.
private func addUnknownFields(_ message: inout ProtobufEncoder) {
    message.int(1000, -1)
    message.double(1001, 3.5)
    message.float(1002, 7)
    message.bytes(1003, [0xFF, 0xFF, 0x1B, 0x07])
}

@Suite("ONNX decoder robustness")
struct ONNXRobustnessTests {
    /// Decodes `bytes` and reports any thrown error that is not an `ONNXError`, and any
    /// message that spans more than one line. Returns whether decoding succeeded.
    @discardableResult
    private func decodeExpectingONNXErrorOnly(_ bytes: [UInt8], _ note: String) -> Bool {
        do {
            _ = try ONNXModel(bytes: bytes, source: "fuzz.onnx")
            return true
        } catch let error as ONNXError {
            #expect(!error.description.contains("\n"), "\(note): multi-line message: \(error)")
            return false
        } catch {
            Issue.record("\(note): unexpected error type \(type(of: error)): \(error)")
            return false
        }
    }

    @Test func everyTruncationThrows() {
        let bytes = ONNXTinyModelTests.tinyModelBytes()
        for length in 0..<bytes.count {
            let decoded = decodeExpectingONNXErrorOnly(Array(bytes[..<length]), "prefix of \(length) bytes")
            #expect(!decoded, "prefix of \(length) of \(bytes.count) bytes decoded without error")
        }
        #expect(decodeExpectingONNXErrorOnly(bytes, "full model"))
    }

    /// Overwrites, inserts and deletes random bytes. Each mutant must decode or throw
    /// `ONNXError`; a trap would crash the test process.
    @Test func randomMutationsNeverCrash() {
        let original = ONNXTinyModelTests.tinyModelBytes()
        var generator = SplitMix64(state: 20_240_601)
        var decodedCount = 0
        for iteration in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                default: bytes.remove(at: position)
                }
            }
            if decodeExpectingONNXErrorOnly(bytes, "mutation \(iteration)") {
                decodedCount += 1
            }
        }
        // Some mutants only change a value, so a mix of successes and errors is expected.
        #expect(decodedCount > 0)
        #expect(decodedCount < 3000)
    }

    @Test func unknownFieldsAreSkipped() throws {
        let bytes = ONNXTestMessage.model(graph: { graph in
            addUnknownFields(&graph)
            graph.message(1) { node in
                addUnknownFields(&node)
                node.string(4, "Gemm")
                node.message(5) { attribute in
                    addUnknownFields(&attribute)
                    attribute.string(1, "transB")
                    attribute.int(20, 2)
                    attribute.int(3, 1)
                }
            }
            graph.message(5) { tensor in
                addUnknownFields(&tensor)
                ONNXTestMessage.tensorHeader(&tensor, name: "w", dims: [2], dataType: 1)
                tensor.packedFloats(4, [1.5, -2])
            }
            graph.message(11) { info in
                addUnknownFields(&info)
                ONNXTestMessage.valueInfo(&info, name: "x", elementType: 1, dims: [.value(2)])
            }
        })
        let model = try ONNXModel(bytes: bytes, source: "unknown-fields.onnx")
        #expect(try model.graph.nodes.first?.int("transB", default: nil) == 1)
        #expect(model.graph.initializer(named: "w")?.floatValues == [1.5, -2])
        #expect(model.graph.inputs.first?.shape == [.value(2)])
    }

    @Test func nestingBeyondLimitThrows() throws {
        // Wrap an empty message in field 1 one level more than the limit allows.
        var payload: [UInt8] = []
        for _ in 0...(ProtobufReader.maxDepth) {
            var wrapper = ProtobufEncoder()
            wrapper.bytes(1, payload)
            payload = wrapper.bytes
        }
        var reader = ProtobufReader(bytes: payload, source: "deep.bin")
        let error = try #require(throws: ONNXError.self) {
            while true {
                guard let field = try reader.nextField() else { break }
                reader = try reader.readMessage(field, "child")
            }
        }
        #expect(error.description.contains("deeper than \(ProtobufReader.maxDepth) levels"))
    }

    @Test func largeRawDataDecodesExactly() throws {
        // 2.5 million floats, a 10 MB initializer.
        let count = 2_500_000
        let values = (0..<count).map { Float($0) * 0.5 - 1000 }
        let bytes = ONNXTestMessage.model(initializer: { tensor in
            ONNXTestMessage.tensorHeader(&tensor, name: "big", dims: [Int64(count)], dataType: 1)
            tensor.bytes(9, littleEndianBytes(values.map(\.bitPattern)))
        })
        let tensor = try #require(ONNXModel(bytes: bytes, source: "big.onnx").graph.initializer(named: "big"))
        #expect(tensor.floatValues.count == count)
        #expect(tensor.floatValues == values)
    }
}
