/// The `TensorProto` fields that can carry element values; the raw value is the field name.
enum TensorDataField: String {
    case rawData = "raw_data"
    case floatData = "float_data"
    case int32Data = "int32_data"
    case stringData = "string_data"
    case int64Data = "int64_data"
    case doubleData = "double_data"
    case uint64Data = "uint64_data"
}

/// The fields of one `TensorProto` as they appear on the wire, before validation.
///
/// `raw_data` is kept as a range into the file buffer, so a large initializer is copied only
/// once, when its values are decoded.
struct TensorProtoFields {
    var name = ""
    var dims: [Int64] = []
    var dataTypeCode: Int32 = 0
    var rawData: Range<Int>?
    var floatData: [Float] = []
    var int32Data: [Int32] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    var uint64Data: [UInt64] = []
    var stringDataCount = 0
    var dataLocation: Int32 = 0
    var hasExternalData = false
    var hasSegment = false
    /// Data fields present, in first-seen order.
    var dataFields: [TensorDataField] = []

    init(reading reader: inout ProtobufReader) throws {
        while let field = try reader.nextField() {
            try read(field, from: &reader)
        }
    }

    private mutating func read(_ field: ProtobufField, from reader: inout ProtobufReader) throws {
        switch field.number {
        case 1: try reader.appendInt64s(field, "dims", to: &dims)
        case 2: dataTypeCode = try reader.readInt32(field, "data_type")
        case 3:
            try reader.expect(field, .lengthDelimited, "segment")
            try reader.skip(field)
            hasSegment = true
        case 4:
            try reader.appendFloats(field, "float_data", to: &floatData)
            noteDataField(.floatData)
        case 5:
            try reader.appendInt32s(field, "int32_data", to: &int32Data)
            noteDataField(.int32Data)
        case 6:
            _ = try reader.readBytes(field, "string_data")
            stringDataCount += 1
            noteDataField(.stringData)
        case 7:
            try reader.appendInt64s(field, "int64_data", to: &int64Data)
            noteDataField(.int64Data)
        case 8: name = try reader.readString(field, "name")
        case 9:
            rawData = try reader.readBytes(field, "raw_data")
            noteDataField(.rawData)
        case 10:
            try reader.appendDoubles(field, "double_data", to: &doubleData)
            noteDataField(.doubleData)
        case 11:
            try reader.appendVarints(field, "uint64_data", to: &uint64Data) { $0 }
            noteDataField(.uint64Data)
        case 13:
            try reader.expect(field, .lengthDelimited, "external_data")
            try reader.skip(field)
            hasExternalData = true
        case 14: dataLocation = try reader.readInt32(field, "data_location")
        default: try reader.skip(field)
        }
    }

    private mutating func noteDataField(_ field: TensorDataField) {
        if !dataFields.contains(field) {
            dataFields.append(field)
        }
    }
}

/// Checks that a tensor stores its values in exactly one data field, that the field suits the
/// data type, and that its length matches the element count from `dims`.
struct TensorDataChecker {
    let fields: TensorProtoFields
    let dataType: ONNXDataType
    let dims: [Int]
    let label: String
    let reader: ProtobufReader

    /// Element count from `dims`; `ONNXTensor` validated that the product fits in `Int`.
    var elementCount: Int { dims.reduce(1, *) }

    func checkDataCount() throws {
        guard fields.dataFields.count <= 1 else {
            let names = fields.dataFields.map(\.rawValue).joined(separator: ", ")
            throw reader.error("\(label) has values in more than one field (\(names)); a tensor must use exactly one")
        }
        guard let field = fields.dataFields.first else {
            guard elementCount == 0 else {
                throw reader.error("\(label) has dims \(dims) (\(elementCount) elements) but no data field; re-export the model with the initializer values included")
            }
            return
        }
        let (expected, unit) = try expectedLength(of: field)
        let actual = actualLength(of: field)
        guard actual == expected else {
            throw reader.error("\(label) of type \(dataType.name) with dims \(dims) needs \(expected) \(unit) in \(field.rawValue), but the file has \(actual); the file is truncated or corrupt, so re-export the model")
        }
    }

    private func actualLength(of field: TensorDataField) -> Int {
        switch field {
        case .rawData: return fields.rawData?.count ?? 0
        case .floatData: return fields.floatData.count
        case .int32Data: return fields.int32Data.count
        case .int64Data: return fields.int64Data.count
        case .doubleData: return fields.doubleData.count
        case .uint64Data: return fields.uint64Data.count
        case .stringData: return fields.stringDataCount
        }
    }

    /// Returns the length that `field` must have for this tensor, and the unit of that length
    /// for messages.
    private func expectedLength(of field: TensorDataField) throws -> (Int, String) {
        let count = elementCount
        switch (field, dataType) {
        case (.rawData, _):
            guard let bits = dataType.bitWidth else { throw misplaced(field) }
            // Sub-byte types pack several elements per byte, so round the bit count up.
            return (Self.divideRoundingUp(try multiply(count, bits), by: 8), "bytes")
        case (.floatData, .float), (.doubleData, .double), (.int64Data, .int64),
             (.uint64Data, .uint32), (.uint64Data, .uint64), (.stringData, .string):
            return (count, "values")
        case (.floatData, .complex64), (.doubleData, .complex128):
            return (try multiply(count, 2), "values")
        case (.int32Data, _):
            guard let perEntry = dataType.elementsPerInt32DataEntry else { throw misplaced(field) }
            return (Self.divideRoundingUp(count, by: perEntry), "values")
        default:
            throw misplaced(field)
        }
    }

    private func multiply(_ count: Int, _ factor: Int) throws -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: factor)
        guard !overflow else {
            throw reader.error("\(label) has dims \(dims) whose data size overflows a 64-bit integer")
        }
        return product
    }

    /// Divides without the overflow that `(value + divisor - 1) / divisor` risks near `Int.max`.
    private static func divideRoundingUp(_ value: Int, by divisor: Int) -> Int {
        value / divisor + (value % divisor == 0 ? 0 : 1)
    }

    private func misplaced(_ field: TensorDataField) -> ONNXError {
        reader.error("\(label) of type \(dataType.name) stores values in \(field.rawValue), which onnx.proto does not allow for that type; re-export the model")
    }
}
