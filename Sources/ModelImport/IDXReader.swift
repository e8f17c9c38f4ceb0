import Foundation

/// Reads MNIST-style IDX files (gzip-compressed or raw): a magic number 00 00 08 NN with
/// NN the number of dimensions, big-endian 32-bit sizes, then unsigned bytes.
public enum IDXReader {
    /// An IDX file of unsigned bytes: its dimensions and data.
    public struct Array: Sendable {
        public let dimensions: [Int]
        public let bytes: [UInt8]
    }

    /// Reads an IDX file and checks that it has `expectedRank` dimensions and exactly the
    /// bytes they need.
    ///
    /// - Throws: `ImportError` naming the file for a missing file, a wrong magic number, a
    ///   wrong rank or a length that does not match the header.
    public static func read(_ url: URL, expectedRank: Int) throws -> Array {
        let file = url.path
        var data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImportError(file: file, message: "cannot read the file: \(error.localizedDescription)")
        }
        if Gzip.isCompressed(data) { data = try Gzip.decompress(data, file: file) }
        return try parse([UInt8](data), file: file, expectedRank: expectedRank)
    }

    static func parse(_ bytes: [UInt8], file: String, expectedRank: Int) throws -> Array {
        guard bytes.count >= 4 else {
            throw ImportError(file: file, message: "too short for an IDX header (\(bytes.count) bytes)")
        }
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
            let magic = bytes[0..<4].map { String(format: "%02x", $0) }.joined()
            throw ImportError(file: file, message: "wrong magic number 0x\(magic); an IDX file of unsigned bytes starts with 0x000008 followed by its rank (MNIST images 0x00000803, labels 0x00000801)")
        }
        let rank = Int(bytes[3])
        guard rank == expectedRank else {
            throw ImportError(file: file, message: "has \(rank) dimensions, expected \(expectedRank); check that images and labels are not swapped")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw ImportError(file: file, message: "truncated IDX header: \(bytes.count) bytes, need \(headerSize)")
        }
        var dimensions: [Int] = []
        var expected = 1
        for d in 0..<rank {
            let offset = 4 + 4 * d
            let size = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            dimensions.append(size)
            // Three 32-bit sizes can multiply past Int.max; such a header is corrupt.
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw ImportError(file: file, message: "header dimensions \(dimensions) need more data bytes than a 64-bit count can hold; the file is corrupt, download it again")
            }
            expected = product
        }
        guard bytes.count - headerSize == expected else {
            throw ImportError(file: file, message: "holds \(bytes.count - headerSize) data bytes but its header \(dimensions) needs \(expected); the file is truncated or corrupt, download it again")
        }
        return Array(dimensions: dimensions, bytes: Swift.Array(bytes[headerSize...]))
    }
}
