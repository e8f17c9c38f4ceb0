/// The main computation graph of an ONNX model, decoded from a `GraphProto`.
public struct ONNXGraph: Sendable {
    public var name: String
    /// Nodes in file order, which ONNX requires to be a topological order.
    public var nodes: [ONNXNode]
    /// Constant tensors, such as trained weights, in file order. Names are unique.
    public var initializers: [ONNXTensor]
    /// Graph inputs. Files written for IR version 3 and earlier also list every
    /// initializer here.
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]

    public init(
        name: String, nodes: [ONNXNode], initializers: [ONNXTensor],
        inputs: [ONNXValueInfo], outputs: [ONNXValueInfo]
    ) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Returns the initializer with this name, or nil if there is none. Runs in O(n) time for
    /// n initializers.
    public func initializer(named name: String) -> ONNXTensor? {
        initializers.first { $0.name == name }
    }
}

// MARK: - Decoding

extension ONNXGraph {
    /// Decodes a `GraphProto`. Fields outside the public properties, such as `value_info`
    /// and `doc_string`, are skipped.
    init(decoding reader: ProtobufReader) throws {
        var reader = reader
        self.init(name: "", nodes: [], initializers: [], inputs: [], outputs: [])
        while let field = try reader.nextField() {
            try read(field, from: &reader)
        }
        try checkInitializerNamesAreUnique(reader: reader)
    }

    private mutating func read(_ field: ProtobufField, from reader: inout ProtobufReader) throws {
        switch field.number {
        case 1:
            let nodeReader = try reader.readMessage(field, "node[\(nodes.count)]")
            nodes.append(try ONNXNode(decoding: nodeReader, index: nodes.count))
        case 2:
            name = try reader.readString(field, "name")
        case 5:
            let tensorReader = try reader.readMessage(field, "initializer[\(initializers.count)]")
            initializers.append(try ONNXTensor(decoding: tensorReader))
        case 11:
            inputs.append(try ONNXValueInfo(decoding: reader.readMessage(field, "input[\(inputs.count)]")))
        case 12:
            outputs.append(try ONNXValueInfo(decoding: reader.readMessage(field, "output[\(outputs.count)]")))
        case 15:
            try reader.expect(field, .lengthDelimited, "sparse_initializer")
            throw reader.error("graph \(quotedForMessage(name)) has a sparse_initializer, which is not supported; convert it to a dense initializer before import")
        default:
            try reader.skip(field)
        }
    }

    private func checkInitializerNamesAreUnique(reader: ProtobufReader) throws {
        var seen = Set<String>()
        for tensor in initializers where !seen.insert(tensor.name).inserted {
            throw reader.error("graph \(quotedForMessage(name)) has more than one initializer named \(quotedForMessage(tensor.name)); initializer names must be unique")
        }
    }
}
