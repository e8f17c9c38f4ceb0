/// One operator in an ONNX graph, decoded from a `NodeProto`.
public struct ONNXNode: Sendable {
    /// Node name, which ONNX allows to be empty; see `displayName`.
    public var name: String
    /// Operator name, such as `Gemm` or `Conv`.
    public var opType: String
    /// Operator set domain; empty or `ai.onnx` for the standard operators.
    public var domain: String
    /// Names of the input values in operator order. An empty string marks an omitted
    /// optional input.
    public var inputs: [String]
    /// Names of the output values in operator order.
    public var outputs: [String]
    public var attributes: [String: ONNXAttribute]
    /// Position of the node in `GraphProto.node`, counting from 0.
    public var index: Int
    /// Path of the model file, or another label for the bytes, used in error messages.
    public var source: String

    public init(
        name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
        attributes: [String: ONNXAttribute] = [:], index: Int, source: String
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.index = index
        self.source = source
    }

    /// The node name, or `"<opType> node #<index>"` such as `"Relu node #2"` when the name
    /// is empty.
    public var displayName: String {
        name.isEmpty ? "\(opType) node #\(index)" : name
    }

    /// Node description for messages: `node 'fc1' (Gemm)` or `Relu node #2`.
    var messageLabel: String {
        name.isEmpty ? sanitizedForMessage(displayName) : "node \(quotedForMessage(name)) (\(sanitizedForMessage(opType)))"
    }
}

// MARK: - Decoding

extension ONNXNode {
    /// Decodes a `NodeProto` message that sits at position `index` in its graph.
    init(decoding reader: ProtobufReader, index: Int) throws {
        var reader = reader
        self.init(name: "", opType: "", inputs: [], outputs: [], index: index, source: reader.source)
        var attributeIndex = 0
        while let field = try reader.nextField() {
            switch field.number {
            case 1: inputs.append(try reader.readString(field, "input"))
            case 2: outputs.append(try reader.readString(field, "output"))
            case 3: name = try reader.readString(field, "name")
            case 4: opType = try reader.readString(field, "op_type")
            case 7: domain = try reader.readString(field, "domain")
            case 5:
                let attributeReader = try reader.readMessage(field, "attribute[\(attributeIndex)]")
                try addAttribute(decoding: attributeReader)
                attributeIndex += 1
            default: try reader.skip(field)
            }
        }
        guard !opType.isEmpty else {
            throw reader.error("node \(quotedForMessage(name)) has no op_type; every NodeProto must name its operator")
        }
    }

    private mutating func addAttribute(decoding reader: ProtobufReader) throws {
        var reader = reader
        let fields = try AttributeProtoFields(reading: &reader)
        guard !fields.name.isEmpty else {
            throw reader.error("an attribute of \(messageLabel) has an empty name")
        }
        guard attributes[fields.name] == nil else {
            throw reader.error("\(messageLabel) has attribute \(quotedForMessage(fields.name)) more than once")
        }
        attributes[fields.name] = try fields.value(reader: reader)
    }
}
