import Foundation
@testable import ModelImport
import Testing

@Suite struct IDXReaderTests {
    /// A valid IDX header for `count` images of 2 x 2 pixels.
    func header(rank: UInt8, dims: [UInt32]) -> [UInt8] {
        [0, 0, 0x08, rank] + dims.flatMap { d in [UInt8(d >> 24), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
    }

    @Test func parsesValidFile() throws {
        let bytes = header(rank: 3, dims: [2, 2, 2]) + [1, 2, 3, 4, 5, 6, 7, 8]
        let array = try IDXReader.parse(bytes, file: "x.idx", expectedRank: 3)
        #expect(array.dimensions == [2, 2, 2])
        #expect(array.bytes == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func truncatedDataRejected() {
        let bytes = header(rank: 3, dims: [2, 2, 2]) + [1, 2, 3]
        #expect {
            try IDXReader.parse(bytes, file: "x.idx", expectedRank: 3)
        } throws: { error in
            "\(error)".contains("x.idx") && "\(error)".contains("truncated") && "\(error)".contains("needs 8")
        }
    }

    @Test func wrongMagicRejected() {
        let bytes: [UInt8] = [0x1f, 0x00, 0x08, 0x03, 0, 0, 0, 0]
        #expect {
            try IDXReader.parse(bytes, file: "x.idx", expectedRank: 3)
        } throws: { error in
            "\(error)".contains("wrong magic number 0x1f000803")
        }
    }

    @Test func wrongRankRejected() {
        #expect {
            try IDXReader.parse(header(rank: 1, dims: [3]) + [0, 1, 2], file: "labels", expectedRank: 3)
        } throws: { error in
            "\(error)".contains("has 1 dimensions, expected 3")
        }
    }

    @Test func bundledMnistTestSetReads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let images = try IDXReader.read(root.appendingPathComponent("data/mnist/t10k-images-idx3-ubyte.gz"), expectedRank: 3)
        #expect(images.dimensions == [10_000, 28, 28])
        let labels = try IDXReader.read(root.appendingPathComponent("data/mnist/t10k-labels-idx1-ubyte.gz"), expectedRank: 1)
        // The first MNIST test labels are 7, 2, 1, 0, 4.
        #expect(Array(labels.bytes.prefix(5)) == [7, 2, 1, 0, 4])
    }

    @Test func truncatedGzipRejected() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let whole = try Data(contentsOf: root.appendingPathComponent("data/mnist/t10k-labels-idx1-ubyte.gz"))
        #expect {
            try Gzip.decompress(whole.prefix(2_000), file: "labels.gz")
        } throws: { error in
            "\(error)".contains("labels.gz") && "\(error)".contains("truncated")
        }
    }

    @Test func oversizedGzipRejected() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let whole = try Data(contentsOf: root.appendingPathComponent("data/mnist/t10k-labels-idx1-ubyte.gz"))
        #expect(try Gzip.decompress(whole, file: "labels.gz", maximumOutputBytes: 10_008).count == 10_008)
        #expect {
            try Gzip.decompress(whole, file: "labels.gz", maximumOutputBytes: 10_000)
        } throws: { error in
            "\(error)".contains("labels.gz") && "\(error)".contains("more than 10000 bytes")
        }
    }
}

@Suite struct CIFARReaderTests {
    @Test func parsesRecords() throws {
        var bytes = [UInt8](repeating: 0, count: 2 * CIFARReader.recordSize)
        bytes[0] = 3
        bytes[1] = 200
        bytes[CIFARReader.recordSize] = 9
        let batch = try CIFARReader.parse(bytes, file: "b.bin")
        #expect(batch.labels == [3, 9])
        #expect(batch.pixels.count == 2 * 3072)
        #expect(batch.pixels[0] == 200)
    }

    @Test func partialRecordRejected() {
        #expect {
            try CIFARReader.parse([UInt8](repeating: 0, count: CIFARReader.recordSize + 5), file: "b.bin")
        } throws: { error in
            "\(error)".contains("b.bin") && "\(error)".contains("not a whole number")
        }
    }

    @Test func labelAboveNineRejected() {
        var bytes = [UInt8](repeating: 0, count: CIFARReader.recordSize)
        bytes[0] = 42
        #expect {
            try CIFARReader.parse(bytes, file: "b.bin")
        } throws: { error in
            "\(error)".contains("record 0 has label 42")
        }
    }
}
