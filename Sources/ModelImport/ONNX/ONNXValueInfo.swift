/// Name, element type and shape of a graph input or output, decoded from a `ValueInfoProto`.
public struct ONNXValueInfo: Sendable {
    public var name: String
    /// Element type of a tensor value. It is `undefined` when the type is missing or is not
    /// a tensor type, such as a sequence or a map.
    public var elementType: ONNXDataType
    /// Dimensions of a tensor value; nil when the shape, and so the rank, is unknown.
    public var shape: [ONNXDimension]?

    public init(name: String, elementType: ONNXDataType, shape: [ONNXDimension]?) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }
}

/// One dimension of a `TensorShapeProto`.
public enum ONNXDimension: Sendable, Equatable {
    /// A fixed size (`dim_value`).
    case value(Int)
    /// A symbolic size shared by values with the same name, such as `batch` (`dim_param`).
    case parameter(String)
    /// A dimension with neither a value nor a parameter.
    case unknown
}

// MARK: - Decoding

extension ONNXValueInfo {
    /// Decodes a `ValueInfoProto`. Only `TypeProto.tensor_type` is decoded, and other types
    /// leave `elementType` undefined and `shape` nil.
    init(decoding reader: ProtobufReader) throws {
        var reader = reader
        self.init(name: "", elementType: .undefined, shape: nil)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: name = try reader.readString(field, "name")
            case 2: try decodeTypeProto(reader.readMessage(field, "type"))
            default: try reader.skip(field)
            }
        }
    }

    private mutating func decodeTypeProto(_ reader: ProtobufReader) throws {
        var reader = reader
        while let field = try reader.nextField() {
            if field.number == 1 {
                try decodeTensorType(reader.readMessage(field, "tensor_type"))
            } else {
                try reader.skip(field)
            }
        }
    }

    private mutating func decodeTensorType(_ reader: ProtobufReader) throws {
        var reader = reader
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                let code = try reader.readInt32(field, "elem_type")
                guard let type = ONNXDataType(rawValue: code) else {
                    throw reader.error("value \(quotedForMessage(name)) has unknown elem_type \(code); \(ONNXDataType.validCodesDescription)")
                }
                elementType = type
            case 2: shape = try Self.decodeShape(reader.readMessage(field, "shape"), valueName: name)
            default: try reader.skip(field)
            }
        }
    }

    private static func decodeShape(_ reader: ProtobufReader, valueName: String) throws -> [ONNXDimension] {
        var reader = reader
        var dims: [ONNXDimension] = []
        while let field = try reader.nextField() {
            if field.number == 1 {
                let dimReader = try reader.readMessage(field, "dim[\(dims.count)]")
                dims.append(try decodeDimension(dimReader, valueName: valueName))
            } else {
                try reader.skip(field)
            }
        }
        return dims
    }

    private static func decodeDimension(_ reader: ProtobufReader, valueName: String) throws -> ONNXDimension {
        var reader = reader
        var dimension = ONNXDimension.unknown
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                let value = try reader.readInt64(field, "dim_value")
                guard value >= 0, let size = Int(exactly: value) else {
                    throw reader.error("value \(quotedForMessage(valueName)) has invalid dim_value \(value); dimensions must be 0 or more")
                }
                dimension = .value(size)
            case 2: dimension = .parameter(try reader.readString(field, "dim_param"))
            default: try reader.skip(field)
            }
        }
        return dimension
    }
}
