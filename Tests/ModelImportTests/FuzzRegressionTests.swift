// Inputs that crashed a parser, found by libFuzzer (scripts/fuzz, docs/fuzzing.md) or by
// reading the code around a fuzzer crash, each reduced to the smallest form that still
// crashed it. Each test checks that the parser now throws a clear error instead of trapping.
@testable import ModelImport
import Testing

@Suite struct IDXFuzzRegressionTests {
    /// Found by the fuzzer and reduced with -minimize_crash=1: rank 3 with sizes 253,
    /// 0xff000a0b and 0x05060708, whose product overflowed Int and trapped.
    @Test func overflowingDimensionsThrow() {
        let bytes: [UInt8] = [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0xfd,
                              0xff, 0x00, 0x0a, 0x0b, 0x05, 0x06, 0x07, 0x08]
        let error = #expect(throws: ImportError.self) {
            try IDXReader.parse(bytes, file: "x.idx", expectedRank: 3)
        }
        #expect(error?.file == "x.idx")
        #expect(error?.message.contains("more data bytes than a 64-bit count can hold") == true)
    }
}
