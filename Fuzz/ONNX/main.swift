// libFuzzer entry point for the ONNX reader and the network lowering.
//
// Every input goes through ONNXModel(bytes:source:); a model that decodes is lowered as
// ModelLoader would. Both must either succeed or throw ONNXError: a trap, an ASan report
// or any other error type is a bug that libFuzzer reports as a crash.
import ModelImport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<CChar>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    do {
        let model = try ONNXModel(bytes: bytes, source: "fuzz.onnx")
        _ = try NetworkLowering.lower(model, source: "fuzz.onnx", name: "fuzz")
    } catch is ONNXError {
        // The clear error the reader promises.
    } catch {
        fatalError("ONNX reader threw \(type(of: error)) instead of ONNXError: \(error)")
    }
    return 0
}
