import Foundation

/// Reads CIFAR-10 binary batches: records of one label byte (0 to 9) and 3,072 pixel
/// bytes, the 1,024 red, then green, then blue values of a 32 x 32 image, row-major.
public enum CIFARReader {
    public static let recordSize = 1 + 3 * 32 * 32

    /// The labels and pixel bytes ([channel, row, column] per image) of a batch file.
    ///
    /// - Throws: `ImportError` naming the file when its length is not a whole number of
    ///   records or a label is above 9.
    public static func read(_ url: URL) throws -> (labels: [Int], pixels: [UInt8]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImportError(file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse([UInt8](data), file: url.path)
    }

    static func parse(_ bytes: [UInt8], file: String) throws -> (labels: [Int], pixels: [UInt8]) {
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw ImportError(file: file, message: "is \(bytes.count) bytes, not a whole number of \(recordSize)-byte CIFAR-10 records; the file is truncated or not a CIFAR-10 binary batch")
        }
        let count = bytes.count / recordSize
        var labels: [Int] = []
        labels.reserveCapacity(count)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * (recordSize - 1))
        for record in 0..<count {
            let start = record * recordSize
            let label = Int(bytes[start])
            guard label < 10 else {
                throw ImportError(file: file, message: "record \(record) has label \(label); CIFAR-10 labels are 0 to 9 (is this a CIFAR-100 file?)")
            }
            labels.append(label)
            pixels.append(contentsOf: bytes[start + 1..<start + recordSize])
        }
        return (labels, pixels)
    }
}
