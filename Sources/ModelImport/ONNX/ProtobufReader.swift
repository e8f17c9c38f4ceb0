/// Protobuf wire types, the low three bits of a field key.
enum ProtobufWireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "fixed64"
        case .lengthDelimited: return "length-delimited"
        case .startGroup: return "start-group"
        case .endGroup: return "end-group"
        case .fixed32: return "fixed32"
        }
    }
}

/// The key of one field: its number, its wire type and the file offset of the key.
struct ProtobufField: Sendable {
    let number: Int
    let wireType: ProtobufWireType
    let offset: Int
}

/// A cursor over one protobuf message inside a byte buffer shared by all nested readers.
///
/// Every read checks bounds and throws `ONNXError` on malformed input, so no input can make
/// the reader trap. No input can make it loop forever either, because each field read
/// consumes at least one byte.
struct ProtobufReader {
    /// Maximum message nesting. The messages that this module decodes nest at most 6 levels
    /// below ModelProto (down to TensorShapeProto.Dimension), so the limit only stops runaway
    /// input if a later change decodes recursive messages such as subgraphs.
    static let maxDepth = 32

    /// Maximum bytes in one varint: 64 bits in 7-bit groups.
    static let maxVarintLength = 10

    let bytes: [UInt8]
    let source: String
    /// Dotted path of ONNX field names from ModelProto to this message, for error messages.
    let location: String
    let depth: Int
    private(set) var position: Int
    let end: Int

    /// Creates a reader over the whole buffer, which contains one top-level message.
    init(bytes: [UInt8], source: String) {
        self.init(bytes: bytes, source: source, location: "", depth: 0, range: 0..<bytes.count)
    }

    private init(bytes: [UInt8], source: String, location: String, depth: Int, range: Range<Int>) {
        self.bytes = bytes
        self.source = source
        self.location = location
        self.depth = depth
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    func error(_ message: String) -> ONNXError {
        ONNXError(source: source, location: location, message)
    }

    /// Returns the location of a child field, such as `graph.node[3]`.
    func childLocation(_ name: String) -> String {
        location.isEmpty ? name : "\(location).\(name)"
    }

    // MARK: - Field keys

    /// Reads the next field key, or returns nil at the end of the message.
    mutating func nextField() throws -> ProtobufField? {
        guard position < end else { return nil }
        let offset = position
        let key = try readRawVarint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw error("invalid protobuf field number \(number) at byte offset \(offset)")
        }
        guard let wireType = ProtobufWireType(rawValue: UInt8(key & 7)) else {
            throw error("invalid protobuf wire type \(key & 7) for field \(number) at byte offset \(offset)")
        }
        if wireType == .startGroup || wireType == .endGroup {
            throw error("field \(number) at byte offset \(offset) uses the deprecated group wire type, which ONNX files never contain")
        }
        return ProtobufField(number: Int(number), wireType: wireType, offset: offset)
    }

    /// Throws unless a known field arrived with the wire type that its schema declares.
    func expect(_ field: ProtobufField, _ wireType: ProtobufWireType, _ name: String) throws {
        guard field.wireType == wireType else {
            throw error("field \(name) (number \(field.number)) at byte offset \(field.offset) has wire type \(field.wireType.name), expected \(wireType.name)")
        }
    }

    /// Skips the value of a field that this module does not decode.
    mutating func skip(_ field: ProtobufField) throws {
        switch field.wireType {
        case .varint:
            _ = try readRawVarint()
        case .fixed64:
            _ = try readRawBytes(count: 8, fieldDescription: "fixed64 value of field \(field.number)")
        case .fixed32:
            _ = try readRawBytes(count: 4, fieldDescription: "fixed32 value of field \(field.number)")
        case .lengthDelimited:
            _ = try readLengthPrefixedRange(fieldNumber: field.number)
        case .startGroup, .endGroup:
            throw error("field \(field.number) uses the deprecated group wire type")
        }
    }

    // MARK: - Scalars

    mutating func readUInt64(_ field: ProtobufField, _ name: String) throws -> UInt64 {
        try expect(field, .varint, name)
        return try readRawVarint()
    }

    /// Reads an `int64` field, which protobuf stores as the two's-complement bit pattern.
    mutating func readInt64(_ field: ProtobufField, _ name: String) throws -> Int64 {
        Int64(bitPattern: try readUInt64(field, name))
    }

    /// Reads an `int32` or enum field. Protobuf sign-extends negative values to 64 bits,
    /// so truncating to the low 32 bits recovers them.
    mutating func readInt32(_ field: ProtobufField, _ name: String) throws -> Int32 {
        Int32(truncatingIfNeeded: try readUInt64(field, name))
    }

    mutating func readFloat(_ field: ProtobufField, _ name: String) throws -> Float {
        try expect(field, .fixed32, name)
        return Float(bitPattern: try readRawFixed32())
    }

    mutating func readString(_ field: ProtobufField, _ name: String) throws -> String {
        let range = try readBytes(field, name)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Reads a `bytes` field and returns its range in `bytes` without copying.
    mutating func readBytes(_ field: ProtobufField, _ name: String) throws -> Range<Int> {
        try expect(field, .lengthDelimited, name)
        return try readLengthPrefixedRange(fieldNumber: field.number)
    }

    /// Returns a reader over an embedded message field and moves past it.
    /// - Parameter name: the field name with an index for repeated fields, such as `node[2]`.
    mutating func readMessage(_ field: ProtobufField, _ name: String) throws -> ProtobufReader {
        let range = try readBytes(field, name)
        let child = ProtobufReader(
            bytes: bytes, source: source, location: childLocation(name), depth: depth + 1, range: range)
        guard child.depth <= Self.maxDepth else {
            throw child.error("messages nest deeper than \(Self.maxDepth) levels, which this decoder rejects as malformed input")
        }
        return child
    }

    /// Returns a reader over `range` at the same depth, for the contents of a packed field.
    func packedReader(_ range: Range<Int>) -> ProtobufReader {
        ProtobufReader(bytes: bytes, source: source, location: location, depth: depth, range: range)
    }

    // MARK: - Wire primitives

    mutating func readRawVarint() throws -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = bytes[position]
            position += 1
            // A tenth byte contributes only its lowest bit, and higher bits are dropped.
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                return value
            }
            shift += 7
            if position - start >= Self.maxVarintLength {
                throw error("varint at byte offset \(start) is longer than \(Self.maxVarintLength) bytes")
            }
        }
        throw error("truncated varint at byte offset \(start): the message ends at byte offset \(end); the file is truncated or corrupt, so export or copy the model again")
    }

    mutating func readRawFixed32() throws -> UInt32 {
        let range = try readRawBytes(count: 4, fieldDescription: "fixed32 value")
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt32.self)) }
    }

    mutating func readRawFixed64() throws -> UInt64 {
        let range = try readRawBytes(count: 8, fieldDescription: "fixed64 value")
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self)) }
    }

    private mutating func readRawBytes(count: Int, fieldDescription: String) throws -> Range<Int> {
        guard end - position >= count else {
            throw error("truncated \(fieldDescription) at byte offset \(position): needs \(count) bytes, \(end - position) left in the message; the file is truncated or corrupt, so export or copy the model again")
        }
        let range = position..<(position + count)
        position += count
        return range
    }

    private mutating func readLengthPrefixedRange(fieldNumber: Int) throws -> Range<Int> {
        let prefixOffset = position
        let length = try readRawVarint()
        let available = end - position
        guard length <= UInt64(available) else {
            throw error("truncated field \(fieldNumber): length prefix at byte offset \(prefixOffset) is \(length) bytes, but only \(available) bytes are left in the message; the file is truncated or corrupt, so export or copy the model again")
        }
        return try readRawBytes(count: Int(length), fieldDescription: "field \(fieldNumber)")
    }
}
