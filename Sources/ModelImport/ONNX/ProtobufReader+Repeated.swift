// Repeated scalar fields. Protobuf writers may emit a repeated scalar either packed (one
// length-delimited field holding all values) or unpacked (one field per value), and a
// parser must accept both, even mixed within one message.

extension ProtobufReader {
    /// Appends the values of a repeated varint field, converting each with `convert`.
    mutating func appendVarints<Value>(
        _ field: ProtobufField, _ name: String, to values: inout [Value], convert: (UInt64) -> Value
    ) throws {
        switch field.wireType {
        case .varint:
            values.append(convert(try readRawVarint()))
        case .lengthDelimited:
            let range = try readBytes(field, name)
            var packed = packedReader(range)
            while !packed.isAtEnd {
                values.append(convert(try packed.readRawVarint()))
            }
        default:
            try expect(field, .varint, name)
        }
    }

    /// Appends the values of a repeated `int64` field.
    mutating func appendInt64s(_ field: ProtobufField, _ name: String, to values: inout [Int64]) throws {
        try appendVarints(field, name, to: &values) { Int64(bitPattern: $0) }
    }

    /// Appends the values of a repeated `int32` field. Negative values arrive sign-extended
    /// to 64 bits, so truncating to the low 32 bits recovers them.
    mutating func appendInt32s(_ field: ProtobufField, _ name: String, to values: inout [Int32]) throws {
        try appendVarints(field, name, to: &values) { Int32(truncatingIfNeeded: $0) }
    }

    /// Appends the values of a repeated `float` field.
    mutating func appendFloats(_ field: ProtobufField, _ name: String, to values: inout [Float]) throws {
        switch field.wireType {
        case .fixed32:
            values.append(Float(bitPattern: try readRawFixed32()))
        case .lengthDelimited:
            let range = try readPackedRange(field, name, elementSize: 4)
            values.append(contentsOf: LittleEndianDecoding.floats(bytes, range))
        default:
            try expect(field, .fixed32, name)
        }
    }

    /// Appends the values of a repeated `double` field.
    mutating func appendDoubles(_ field: ProtobufField, _ name: String, to values: inout [Double]) throws {
        switch field.wireType {
        case .fixed64:
            values.append(Double(bitPattern: try readRawFixed64()))
        case .lengthDelimited:
            let range = try readPackedRange(field, name, elementSize: 8)
            values.append(contentsOf: LittleEndianDecoding.doubles(bytes, range))
        default:
            try expect(field, .fixed64, name)
        }
    }

    /// Reads the range of a packed fixed-width field and checks that it contains whole elements.
    private mutating func readPackedRange(_ field: ProtobufField, _ name: String, elementSize: Int) throws -> Range<Int> {
        let range = try readBytes(field, name)
        guard range.count % elementSize == 0 else {
            throw error("packed field \(name) at byte offset \(field.offset) has \(range.count) bytes, which is not a multiple of the \(elementSize)-byte element size")
        }
        return range
    }
}
