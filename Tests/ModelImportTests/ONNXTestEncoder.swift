// A small protobuf encoder for building ONNX test inputs by hand, including malformed ones.
// Field numbers follow onnx.proto, and each builder below names the message it writes.

/// Appends protobuf fields to a byte array. It writes exactly the fields that the caller
/// requests, so tests can produce invalid encodings as easily as valid ones.
struct ProtobufEncoder {
    var bytes: [UInt8] = []

    mutating func rawVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func key(_ field: Int, wireType: UInt8) {
        rawVarint(UInt64(field) << 3 | UInt64(wireType))
    }

    /// Writes an `int64`, `int32` or enum field; negative values take 10 bytes, as protobuf
    /// encodes them.
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, wireType: 0)
        rawVarint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, wireType: 5)
        appendLittleEndian(value.bitPattern)
    }

    mutating func double(_ field: Int, _ value: Double) {
        key(field, wireType: 1)
        appendLittleEndian(value.bitPattern)
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        rawVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func message(_ field: Int, _ build: (inout ProtobufEncoder) -> Void) {
        var child = ProtobufEncoder()
        build(&child)
        bytes(field, child.bytes)
    }

    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var payload = ProtobufEncoder()
        for value in values {
            payload.rawVarint(UInt64(bitPattern: value))
        }
        bytes(field, payload.bytes)
    }

    mutating func unpackedInts(_ field: Int, _ values: [Int64]) {
        for value in values {
            int(field, value)
        }
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        bytes(field, littleEndianBytes(values.map(\.bitPattern)))
    }

    mutating func unpackedFloats(_ field: Int, _ values: [Float]) {
        for value in values {
            float(field, value)
        }
    }

    mutating func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        bytes.append(contentsOf: littleEndianBytes([value]))
    }
}

func littleEndianBytes<Integer: FixedWidthInteger>(_ values: [Integer]) -> [UInt8] {
    var result: [UInt8] = []
    for value in values {
        for byteIndex in 0..<(Integer.bitWidth / 8) {
            result.append(UInt8(truncatingIfNeeded: value >> (byteIndex * 8)))
        }
    }
    return result
}

// MARK: - ONNX message builders

enum ONNXTestMessage {
    /// Builds a `ModelProto` with IR version 8, default opset 13 and the given graph body.
    static func model(graph: (inout ProtobufEncoder) -> Void) -> [UInt8] {
        var model = ProtobufEncoder()
        model.int(1, 8)
        model.string(2, "test-encoder")
        model.string(3, "0.1")
        model.message(8) { opset in
            opset.string(1, "")
            opset.int(2, 13)
        }
        model.message(7, graph)
        return model.bytes
    }

    /// Builds a `ModelProto` whose graph contains only the given `TensorProto` as initializer.
    static func model(initializer tensor: @escaping (inout ProtobufEncoder) -> Void) -> [UInt8] {
        model(graph: { graph in
            graph.string(2, "g")
            graph.message(5, tensor)
        })
    }

    /// Builds a `ModelProto` whose graph contains only one node with the given body.
    static func model(node: @escaping (inout ProtobufEncoder) -> Void) -> [UInt8] {
        model(graph: { graph in
            graph.string(2, "g")
            graph.message(1, node)
        })
    }

    /// Writes the name, dims and data type of a `TensorProto`.
    static func tensorHeader(_ tensor: inout ProtobufEncoder, name: String, dims: [Int64], dataType: Int64) {
        tensor.packedInts(1, dims)
        tensor.int(2, dataType)
        tensor.string(8, name)
    }

    /// Writes a `ValueInfoProto` for a tensor. An `.unknown` dimension is written with neither
    /// dim_value nor dim_param.
    static func valueInfo(_ info: inout ProtobufEncoder, name: String, elementType: Int64, dims: [DimensionSpec]) {
        info.string(1, name)
        info.message(2) { type in
            type.message(1) { tensorType in
                tensorType.int(1, elementType)
                tensorType.message(2) { shape in
                    for dim in dims {
                        shape.message(1) { dimension in
                            switch dim {
                            case .value(let value): dimension.int(1, value)
                            case .parameter(let name): dimension.string(2, name)
                            case .unknown: break
                            }
                        }
                    }
                }
            }
        }
    }

    enum DimensionSpec {
        case value(Int64)
        case parameter(String)
        case unknown
    }
}
