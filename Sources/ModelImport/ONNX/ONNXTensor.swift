/// A tensor decoded from an ONNX `TensorProto`: a graph initializer or an attribute value.
///
/// Only the element types that a crossbar mapper consumes are decoded into values:
/// `FLOAT` and `DOUBLE` into `floatValues`, `INT64` and `INT32` into `int64Values`. A tensor
/// of any other type keeps its name, type and shape, and both value arrays stay empty.
public struct ONNXTensor: Sendable {
    public var name: String
    /// Shape in row-major order; empty for a scalar.
    public var dims: [Int]
    public var dataType: ONNXDataType
    /// Values of a `FLOAT` tensor, or of a `DOUBLE` tensor rounded to `Float`; empty for
    /// other types.
    public var floatValues: [Float]
    /// Values of an `INT64` tensor, or of an `INT32` tensor widened to `Int64`; empty for
    /// other types.
    public var int64Values: [Int64]

    /// Creates a tensor from values that the caller has already decoded. It does not check
    /// that the value count matches `dims`.
    public init(
        name: String, dims: [Int], dataType: ONNXDataType,
        floatValues: [Float] = [], int64Values: [Int64] = []
    ) {
        self.name = name
        self.dims = dims
        self.dataType = dataType
        self.floatValues = floatValues
        self.int64Values = int64Values
    }

    /// Number of elements, the product of `dims` (1 for a scalar).
    ///
    /// Decoding rejects dims that are negative or whose product overflows `Int`. For a tensor
    /// built with such dims through `init`, this property traps on overflow.
    public var elementCount: Int {
        dims.reduce(1, *)
    }

    /// Returns `tensor 'name'`, or `unnamed tensor` when the name is empty, for messages.
    static func label(name: String) -> String {
        name.isEmpty ? "unnamed tensor" : "tensor \(quotedForMessage(name))"
    }
}

// MARK: - Decoding

extension ONNXTensor {
    /// Decodes a `TensorProto` message and checks that its data matches its type and shape.
    init(decoding reader: ProtobufReader) throws {
        var reader = reader
        let fields = try TensorProtoFields(reading: &reader)
        let label = Self.label(name: fields.name)

        let dataType = try Self.validatedDataType(fields, label: label, reader: reader)
        try Self.rejectUnsupportedStorage(fields, label: label, reader: reader)
        let dims = try Self.validatedDims(fields.dims, label: label, reader: reader)
        self.init(name: fields.name, dims: dims, dataType: dataType)

        let checker = TensorDataChecker(fields: fields, dataType: dataType, dims: dims, label: label, reader: reader)
        try checker.checkDataCount()
        fillValues(from: fields, bytes: reader.bytes)
    }

    private static func validatedDataType(_ fields: TensorProtoFields, label: String, reader: ProtobufReader) throws -> ONNXDataType {
        guard let dataType = ONNXDataType(rawValue: fields.dataTypeCode) else {
            throw reader.error("\(label) has unknown data_type \(fields.dataTypeCode); \(ONNXDataType.validCodesDescription)")
        }
        guard dataType != .undefined else {
            throw reader.error("\(label) has data_type 0 (UNDEFINED); the exporter must set the element type")
        }
        return dataType
    }

    private static func rejectUnsupportedStorage(_ fields: TensorProtoFields, label: String, reader: ProtobufReader) throws {
        if fields.dataLocation == 1 || fields.hasExternalData {
            throw reader.error("\(label) keeps its data in an external file (data_location EXTERNAL), which is not supported; embed the data with Python: onnx.save_model(onnx.load(path), path, save_as_external_data=False)")
        }
        guard fields.dataLocation == 0 else {
            throw reader.error("\(label) has invalid data_location \(fields.dataLocation); valid values are 0 (DEFAULT) and 1 (EXTERNAL)")
        }
        if fields.hasSegment {
            throw reader.error("\(label) is one segment of a larger tensor (field segment), which is not supported; re-export the model without segmented tensors")
        }
    }

    /// Converts dims to `Int`, rejecting negative values and shapes whose element count
    /// overflows `Int`.
    private static func validatedDims(_ rawDims: [Int64], label: String, reader: ProtobufReader) throws -> [Int] {
        var count = 1
        var dims: [Int] = []
        dims.reserveCapacity(rawDims.count)
        for rawDim in rawDims {
            guard rawDim >= 0, let dim = Int(exactly: rawDim) else {
                throw reader.error("\(label) has invalid dimension \(rawDim) in dims \(rawDims); dimensions must be 0 or more")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw reader.error("\(label) has dims \(rawDims) whose element count overflows a 64-bit integer")
            }
            count = product
            dims.append(dim)
        }
        return dims
    }

    /// Fills `floatValues` or `int64Values` from whichever data field the tensor uses. The
    /// field lengths have already been checked against `dims`.
    private mutating func fillValues(from fields: TensorProtoFields, bytes: [UInt8]) {
        switch dataType {
        case .float:
            if let raw = fields.rawData {
                floatValues = LittleEndianDecoding.floats(bytes, raw)
            } else {
                floatValues = fields.floatData
            }
        case .double:
            let doubles = fields.rawData.map { LittleEndianDecoding.doubles(bytes, $0) } ?? fields.doubleData
            floatValues = doubles.map { Float($0) }
        case .int64:
            if let raw = fields.rawData {
                int64Values = LittleEndianDecoding.integers(bytes, raw, as: Int64.self)
            } else {
                int64Values = fields.int64Data
            }
        case .int32:
            let int32s = fields.rawData.map { LittleEndianDecoding.integers(bytes, $0, as: Int32.self) } ?? fields.int32Data
            int64Values = int32s.map { Int64($0) }
        default:
            break
        }
    }
}
