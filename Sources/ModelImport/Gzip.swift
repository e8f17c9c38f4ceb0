import CZlib
import Foundation

/// gzip decompression through zlib.
enum Gzip {
    /// True when the bytes start with the gzip magic number 1f 8b.
    static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Inflates a whole gzip member.
    ///
    /// - Throws: `ImportError` naming `file` when the stream is corrupt or truncated.
    /// The largest decompressed size accepted, 4 GiB: far above any dataset file this
    /// reads (the MNIST training images are 47 MB), and a stop for corrupt or hostile data
    /// that would expand until memory runs out.
    static let maximumOutputBytes = 1 << 32

    static func decompress(_ data: Data, file: String, maximumOutputBytes: Int = maximumOutputBytes) throws -> Data {
        var stream = z_stream()
        // 15 + 16: a 32 KiB window and a gzip header and trailer.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ImportError(file: file, message: "zlib could not start decompression")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var status = Z_OK
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                guard output.count <= maximumOutputBytes else {
                    throw ImportError(file: file, message: "decompresses to more than \(maximumOutputBytes) bytes, more than any dataset file; check that this is the right file")
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw ImportError(file: file, message: "corrupt gzip data (\(reason)); download the file again")
                }
            } while status != Z_STREAM_END
        }
        guard status == Z_STREAM_END else {
            throw ImportError(file: file, message: "gzip stream is truncated after \(output.count) bytes; download the file again")
        }
        return output
    }
}
