// libFuzzer entry point for the IDX reader and its gzip path.
//
// Input that starts with the gzip magic number is inflated first, as IDXReader.read does.
// The bytes are then parsed twice: with the rank their own header gives, so the fuzzer
// reaches the size checks, and with rank 3, as for MNIST images. Each step must succeed
// or throw ImportError; anything else is a bug.
@testable import ModelImport
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<CChar>, _ size: Int) -> CInt {
    var input = Data(bytes: data, count: size)
    do {
        if Gzip.isCompressed(input) {
            input = try Gzip.decompress(input, file: "fuzz.gz")
        }
    } catch is ImportError {
        return 0
    } catch {
        fatalError("Gzip.decompress threw \(type(of: error)) instead of ImportError: \(error)")
    }
    let bytes = [UInt8](input)
    let ownRank = bytes.count >= 4 ? Int(bytes[3]) : 1
    for rank in [ownRank, 3] {
        do {
            _ = try IDXReader.parse(bytes, file: "fuzz.idx", expectedRank: rank)
        } catch is ImportError {
            continue
        } catch {
            fatalError("IDXReader.parse threw \(type(of: error)) instead of ImportError: \(error)")
        }
    }
    return 0
}
