import Accelerator
import Foundation

/// The first line of a journal: which study, which shard and what it started from.
struct JournalHeader: Codable {
    var version: String
    var study: StudyConfig
    var shard: Shard?
    var testImages: Int
    var floatAccuracy: Double
    var mapping: [MappingRecord]
}

/// The trials of one grid point that one run or shard finished.
struct JournalEntry: Codable {
    var point: Int
    var records: [TrialRecord]
    var adaptiveStop: AdaptiveTrials.Stop?
}

/// An append-only file of finished grid points, `journal.jsonl` in the output folder.
/// Each line is `CHECKSUM JSON`: the FNV-1a 64-bit hash of the JSON text in hexadecimal,
/// a space, and one JSON object. The first line is the header. A point is appended and
/// flushed to disk as soon as it finishes, so a killed run loses at most the points it
/// was working on; a last line cut short by the kill fails its checksum and is dropped.
final class JournalFile {
    static let name = "journal.jsonl"
    let url: URL
    private let handle: FileHandle

    private init(url: URL, handle: FileHandle) {
        self.url = url
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Starts a new journal holding only `header`.
    static func create(at url: URL, header: JournalHeader) throws -> JournalFile {
        try Data((try line(header)).utf8).write(to: url, options: .atomic)
        return try open(url, keepingBytes: nil)
    }

    /// Opens a journal for appending, first cutting it to `keepingBytes` when given.
    static func open(_ url: URL, keepingBytes: Int?) throws -> JournalFile {
        let handle = try FileHandle(forWritingTo: url)
        if let bytes = keepingBytes { try handle.truncate(atOffset: UInt64(bytes)) }
        try handle.seekToEnd()
        return JournalFile(url: url, handle: handle)
    }

    func append(_ entry: JournalEntry) throws {
        try handle.write(contentsOf: Data((try Self.line(entry)).utf8))
        try handle.synchronize()
    }

    /// A journal's contents: the header, the entries in order, and how many bytes of the
    /// file are whole records (a torn last line is left out).
    struct Contents {
        var header: JournalHeader
        var entries: [JournalEntry]
        var validBytes: Int
        var droppedTornLine: Bool
    }

    static func read(_ url: URL) throws -> Contents {
        let data = try Data(contentsOf: url)
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var offset = 0
        var header: JournalHeader?
        var entries: [JournalEntry] = []
        for (number, line) in lines.enumerated() {
            let isLast = number == lines.count - 1
            if line.isEmpty && isLast { break }
            guard let json = verified(Data(line)) else {
                // Only the last line can be torn by a kill; damage elsewhere is corruption.
                if isLast || (number == lines.count - 2 && lines.last?.isEmpty == true) {
                    return Contents(header: try requireHeader(header, url), entries: entries,
                                    validBytes: offset, droppedTornLine: true)
                }
                throw UsageError(description: "\(url.path): line \(number + 1) fails its checksum; the journal is corrupt, so start the study again with --force")
            }
            if header == nil {
                header = try JSONDecoder().decode(JournalHeader.self, from: json)
            } else {
                entries.append(try JSONDecoder().decode(JournalEntry.self, from: json))
            }
            offset += line.count + 1
        }
        return Contents(header: try requireHeader(header, url), entries: entries, validBytes: min(offset, data.count),
                        droppedTornLine: false)
    }

    private static func requireHeader(_ header: JournalHeader?, _ url: URL) throws -> JournalHeader {
        guard let header else {
            throw UsageError(description: "\(url.path) has no readable header; start the study again with --force")
        }
        return header
    }

    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func line<Value: Encodable>(_ value: Value) throws -> String {
        let json = try encode(value)
        return String(format: "%016llx ", fnv1a(Data(json.utf8))) + json + "\n"
    }

    /// The JSON of a line whose checksum matches, or nil.
    private static func verified(_ line: Data) -> Data? {
        guard line.count > 17, line[line.startIndex + 16] == UInt8(ascii: " "),
              let expected = UInt64(String(decoding: line.prefix(16), as: UTF8.self), radix: 16)
        else { return nil }
        let json = Data(line.dropFirst(17))
        return fnv1a(json) == expected ? json : nil
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        data.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
