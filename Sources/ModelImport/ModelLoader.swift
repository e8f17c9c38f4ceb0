import Accelerator
import Foundation

/// Reads an ONNX file and lowers it to a network.
public enum ModelLoader {
    /// - Throws: `ONNXError` for a file that cannot be read, decoded or lowered; messages
    ///   start with the file path.
    public static func load(_ url: URL, foldBatchNormalization: Bool = true) throws -> Network {
        let model = try ONNXModel(contentsOf: url)
        return try NetworkLowering.lower(model, source: url.path, name: url.deletingPathExtension().lastPathComponent,
                                         foldBatchNormalization: foldBatchNormalization)
    }
}
