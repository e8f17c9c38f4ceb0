// libFuzzer entry point for the CIFAR-10 batch reader. CIFARReader.parse must either
// return the labels and pixels or throw ImportError; anything else is a bug.
@testable import ModelImport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<CChar>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    do {
        let batch = try CIFARReader.parse(bytes, file: "fuzz.bin")
        precondition(batch.pixels.count == batch.labels.count * (CIFARReader.recordSize - 1),
                     "CIFARReader.parse returned \(batch.pixels.count) pixels for \(batch.labels.count) labels")
    } catch is ImportError {
        // The clear error the reader promises.
    } catch {
        fatalError("CIFARReader.parse threw \(type(of: error)) instead of ImportError: \(error)")
    }
    return 0
}
