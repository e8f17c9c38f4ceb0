/// Element type of an ONNX tensor, with the codes of `TensorProto.DataType` in onnx.proto
/// (onnx 1.23, which defines codes 0 through 28).
public enum ONNXDataType: Int32, Sendable, CaseIterable {
    case undefined = 0
    case float = 1
    case uint8 = 2
    case int8 = 3
    case uint16 = 4
    case int16 = 5
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case float16 = 10
    case double = 11
    case uint32 = 12
    case uint64 = 13
    case complex64 = 14
    case complex128 = 15
    case bfloat16 = 16
    case float8e4m3fn = 17
    case float8e4m3fnuz = 18
    case float8e5m2 = 19
    case float8e5m2fnuz = 20
    case uint4 = 21
    case int4 = 22
    case float4e2m1 = 23
    case float8e8m0 = 24
    case uint2 = 25
    case int2 = 26
    case float6e2m3 = 27
    case float6e3m2 = 28

    /// The enum value name that onnx.proto uses, such as `FLOAT` or `INT64`.
    public var name: String {
        String(describing: self).uppercased()
    }

    /// Bits per element in `raw_data`, or nil for `STRING` and `UNDEFINED`, which have no
    /// fixed width. Complex types count both components.
    var bitWidth: Int? {
        switch self {
        case .undefined, .string: return nil
        case .uint2, .int2: return 2
        case .uint4, .int4, .float4e2m1: return 4
        case .float6e2m3, .float6e3m2: return 6
        case .uint8, .int8, .bool, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: return 8
        case .uint16, .int16, .float16, .bfloat16: return 16
        case .float, .int32, .uint32: return 32
        case .int64, .uint64, .double, .complex64: return 64
        case .complex128: return 128
        }
    }

    /// Elements that one `int32_data` entry carries: one for types of 8 bits or more and
    /// for the 6-bit floats, two for 4-bit types, four for 2-bit types. Nil for types that
    /// onnx.proto does not allow in `int32_data`.
    var elementsPerInt32DataEntry: Int? {
        switch self {
        case .int32, .int16, .int8, .uint16, .uint8, .bool, .float16, .bfloat16,
             .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0,
             .float6e2m3, .float6e3m2:
            return 1
        case .uint4, .int4, .float4e2m1:
            return 2
        case .uint2, .int2:
            return 4
        default:
            return nil
        }
    }

    /// Names the valid codes, for messages about an unknown `data_type` or `elem_type`.
    static var validCodesDescription: String {
        "valid codes are 0 through \(allCases.map(\.rawValue).max() ?? 0)"
    }
}
