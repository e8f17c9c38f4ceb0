/// The value of one node attribute, decoded from an ONNX `AttributeProto`.
public enum ONNXAttribute: Sendable {
    case float(Float)
    case int(Int64)
    case string(String)
    case tensor(ONNXTensor)
    case floats([Float])
    case ints([Int64])
    case strings([String])
    /// A `GRAPH` attribute, the body of a control-flow node such as `If` or `Loop`. The
    /// subgraph itself is not decoded.
    case graph
    /// An attribute of a type that this module does not decode: `TENSORS`, `GRAPHS`,
    /// `SPARSE_TENSOR`, `SPARSE_TENSORS`, `TYPE_PROTO` or `TYPE_PROTOS`. The payload is the
    /// `AttributeProto.AttributeType` name.
    case unsupported(String)

    /// The `AttributeProto.AttributeType` name of the value, such as `INT` or `FLOATS`.
    public var typeName: String {
        switch self {
        case .float: return "FLOAT"
        case .int: return "INT"
        case .string: return "STRING"
        case .tensor: return "TENSOR"
        case .floats: return "FLOATS"
        case .ints: return "INTS"
        case .strings: return "STRINGS"
        case .graph: return "GRAPH"
        case .unsupported(let typeName): return typeName
        }
    }

    /// `AttributeProto.AttributeType` codes and names from onnx.proto.
    static let typeNames: [Int32: String] = [
        0: "UNDEFINED", 1: "FLOAT", 2: "INT", 3: "STRING", 4: "TENSOR", 5: "GRAPH",
        6: "FLOATS", 7: "INTS", 8: "STRINGS", 9: "TENSORS", 10: "GRAPHS",
        11: "SPARSE_TENSOR", 12: "SPARSE_TENSORS", 13: "TYPE_PROTO", 14: "TYPE_PROTOS",
    ]
}

// MARK: - Decoding

/// The fields of one `AttributeProto` as they appear on the wire.
struct AttributeProtoFields {
    var name = ""
    var typeCode: Int32 = 0
    var float: Float?
    var int: Int64?
    var string: String?
    var tensor: ONNXTensor?
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [String] = []
    /// Type codes of payload fields present, used when `type` is missing.
    var payloadTypeCodes: [Int32] = []

    init(reading reader: inout ProtobufReader) throws {
        while let field = try reader.nextField() {
            try read(field, from: &reader)
        }
    }

    private mutating func read(_ field: ProtobufField, from reader: inout ProtobufReader) throws {
        switch field.number {
        case 1: name = try reader.readString(field, "name")
        case 20: typeCode = try reader.readInt32(field, "type")
        case 2:
            float = try reader.readFloat(field, "f")
            notePayload(1)
        case 3:
            int = try reader.readInt64(field, "i")
            notePayload(2)
        case 4:
            string = try reader.readString(field, "s")
            notePayload(3)
        case 5:
            tensor = try ONNXTensor(decoding: reader.readMessage(field, "t"))
            notePayload(4)
        case 7:
            try reader.appendFloats(field, "floats", to: &floats)
            notePayload(6)
        case 8:
            try reader.appendInt64s(field, "ints", to: &ints)
            notePayload(7)
        case 9:
            strings.append(try reader.readString(field, "strings"))
            notePayload(8)
        default:
            if let payload = Self.undecodedPayloadFields[field.number] {
                try reader.expect(field, .lengthDelimited, payload.name)
                notePayload(payload.typeCode)
            }
            try reader.skip(field)
        }
    }

    /// Payload fields that are skipped, keyed by field number, with the attribute type code
    /// that each one implies.
    private static let undecodedPayloadFields: [Int: (name: String, typeCode: Int32)] = [
        6: ("g", 5), 10: ("tensors", 9), 11: ("graphs", 10), 22: ("sparse_tensor", 11),
        23: ("sparse_tensors", 12), 14: ("tp", 13), 15: ("type_protos", 14),
    ]

    private mutating func notePayload(_ typeCode: Int32) {
        if !payloadTypeCodes.contains(typeCode) {
            payloadTypeCodes.append(typeCode)
        }
    }

    /// Builds the attribute value that `type` names. Files written before `type` existed
    /// leave it 0, so then the single payload field present decides the type.
    func value(reader: ProtobufReader) throws -> ONNXAttribute {
        var code = typeCode
        if code == 0 {
            guard payloadTypeCodes.count == 1, let inferred = payloadTypeCodes.first else {
                throw reader.error("attribute \(quotedForMessage(name)) has no type and \(payloadTypeCodes.count) value fields, so its type is ambiguous; re-export the model")
            }
            code = inferred
        }
        switch code {
        case 1: return .float(float ?? 0)
        case 2: return .int(int ?? 0)
        case 3: return .string(string ?? "")
        case 4:
            guard let tensor else {
                throw reader.error("attribute \(quotedForMessage(name)) has type TENSOR but no tensor value (field t)")
            }
            return .tensor(tensor)
        case 5: return .graph
        case 6: return .floats(floats)
        case 7: return .ints(ints)
        case 8: return .strings(strings)
        default:
            guard let typeName = ONNXAttribute.typeNames[code] else {
                throw reader.error("attribute \(quotedForMessage(name)) has unknown type \(code); valid AttributeProto types are 0 through 14")
            }
            return .unsupported(typeName)
        }
    }
}
