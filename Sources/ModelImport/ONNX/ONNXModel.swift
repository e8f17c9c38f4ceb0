import Foundation

/// An ONNX model decoded from the protobuf encoding of a `ModelProto`, the format that
/// `torch.onnx.export` and `onnx.save_model` write.
///
/// The decoder reads the protobuf wire format directly and keeps only what an inference
/// mapper needs: the main graph, its nodes and attributes, its initializers and the
/// input and output signatures. Training info, local functions, metadata and subgraph
/// bodies are skipped. Tensors stored in external files and sparse initializers are rejected.
///
/// Decoding checks the encoding and each tensor's data size, not the graph's meaning, so
/// node inputs are not resolved to values and operator schemas are not checked.
public struct ONNXModel: Sendable {
    /// ONNX IR version of the file format, a value of the `Version` enum in onnx.proto.
    public var irVersion: Int64
    /// Version of the default operator set (domain `""` or `ai.onnx`), or 0 when the model
    /// imports no default operator set.
    public var opsetVersion: Int64
    public var producerName: String
    public var producerVersion: String
    public var graph: ONNXGraph

    /// Reads and decodes an ONNX file.
    /// - Throws: `ONNXError` naming the file path when the file cannot be read or is not a
    ///   valid ONNX model.
    public init(contentsOf url: URL) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ONNXError("\(path): ONNX model file not found; check the path")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ONNXError("\(path): failed to read the ONNX model file: \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), source: path)
    }

    /// Decodes an ONNX model from its serialized bytes.
    /// - Parameter source: the file path or another label that starts every error message.
    /// - Throws: `ONNXError` for input that is not a `ModelProto`, malformed protobuf, and
    ///   tensors whose data does not match their type and shape.
    public init(bytes: [UInt8], source: String) throws {
        try Self.checkIsModelProto(bytes, source: source)
        self.init(irVersion: 0, opsetVersion: 0, producerName: "", producerVersion: "",
                  graph: ONNXGraph(name: "", nodes: [], initializers: [], inputs: [], outputs: []))
        var reader = ProtobufReader(bytes: bytes, source: source)
        var state = DecodingState()
        while let field = try reader.nextField() {
            try read(field, from: &reader, state: &state)
        }
    }

    public init(irVersion: Int64, opsetVersion: Int64, producerName: String, producerVersion: String, graph: ONNXGraph) {
        self.irVersion = irVersion
        self.opsetVersion = opsetVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.graph = graph
    }
}

// MARK: - Decoding

extension ONNXModel {
    /// Decoding progress across top-level fields: the opset_import count for error locations
    /// and flags that catch duplicate fields.
    private struct DecodingState {
        var opsetImportCount = 0
        var hasDefaultOpset = false
        var hasGraph = false
    }

    private mutating func read(_ field: ProtobufField, from reader: inout ProtobufReader, state: inout DecodingState) throws {
        switch field.number {
        case 1: irVersion = try reader.readInt64(field, "ir_version")
        case 2: producerName = try reader.readString(field, "producer_name")
        case 3: producerVersion = try reader.readString(field, "producer_version")
        case 7:
            let graphReader = try reader.readMessage(field, "graph")
            guard !state.hasGraph else {
                throw reader.error("the model has more than one graph field; re-export the model")
            }
            graph = try ONNXGraph(decoding: graphReader)
            state.hasGraph = true
        case 8:
            let opsetReader = try reader.readMessage(field, "opset_import[\(state.opsetImportCount)]")
            state.opsetImportCount += 1
            try readOpsetImport(opsetReader, state: &state)
        default:
            try reader.skip(field)
        }
    }

    /// Decodes an `OperatorSetIdProto` and records its version if it names the default domain.
    private mutating func readOpsetImport(_ reader: ProtobufReader, state: inout DecodingState) throws {
        var reader = reader
        var domain = ""
        var version: Int64 = 0
        while let field = try reader.nextField() {
            switch field.number {
            case 1: domain = try reader.readString(field, "domain")
            case 2: version = try reader.readInt64(field, "version")
            default: try reader.skip(field)
            }
        }
        guard domain.isEmpty || domain == "ai.onnx" else { return }
        guard !state.hasDefaultOpset else {
            throw reader.error("the model imports the default operator set twice (versions \(opsetVersion) and \(version)); keep one opset_import for domain \"\"")
        }
        opsetVersion = version
        state.hasDefaultOpset = true
    }

    /// Throws a "not an ONNX model" error unless the bytes parse as protobuf fields at the top
    /// level and contain an `ir_version` varint and a `graph` message, as every model has.
    /// A wire error after an `ir_version` field is reported as is, because such a file is
    /// most likely a truncated or damaged model rather than another format.
    private static func checkIsModelProto(_ bytes: [UInt8], source: String) throws {
        func notAModel(_ reason: String) -> ONNXError {
            ONNXError("\(source): not an ONNX model: \(reason); expected a ModelProto file such as torch.onnx.export writes")
        }
        guard !bytes.isEmpty else { throw notAModel("the file is empty") }
        if bytes.starts(with: [0x1F, 0x8B]) {
            throw notAModel("the file is gzip-compressed, so decompress it first")
        }
        var reader = ProtobufReader(bytes: bytes, source: source)
        var hasIRVersion = false
        var hasGraph = false
        do {
            while let field = try reader.nextField() {
                hasIRVersion = hasIRVersion || (field.number == 1 && field.wireType == .varint)
                hasGraph = hasGraph || (field.number == 7 && field.wireType == .lengthDelimited)
                try reader.skip(field)
            }
        } catch let error as ONNXError {
            throw hasIRVersion ? error : notAModel(error.message)
        }
        guard hasIRVersion else { throw notAModel("it has no ir_version field") }
        guard hasGraph else { throw notAModel("it has no graph field") }
    }
}
