// libFuzzer entry point for the study config decoder. StudyConfig.decode throws only
// ConfigError (typed throws), so the fuzzer looks for traps and ASan reports. A config
// that decodes also has its tile shapes computed. Its grid points are not listed, because
// their count is the product of every axis and a fuzzed config can make it huge.
import Accelerator
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<CChar>, _ size: Int) -> CInt {
    guard let config = try? StudyConfig.decode(Data(bytes: data, count: size)) else { return 0 }
    _ = config.tileShapes
    return 0
}
