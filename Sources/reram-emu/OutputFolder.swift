import Accelerator
import Foundation

/// The output folder of a study: its journal and results, guarded so that one study
/// never overwrites another by accident.
struct OutputFolder {
    let url: URL

    var journalURL: URL { url.appendingPathComponent(JournalFile.name) }

    /// Checks, before any work, that the folder can be written and does not hold another
    /// study that this run would replace or resume by mistake.
    ///
    /// - Throws: `UsageError` naming the path and the fix.
    func checkBeforeRun(study: StudyConfig, resume: Bool, force: Bool) throws {
        try Self.checkWritable(url, option: "--output", kind: "folder")
        guard !force, let earlier = earlierStudy() else {
            let existing = ["results.json", "results.csv", JournalFile.name]
                .filter { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
            if !force && !existing.isEmpty {
                throw UsageError(description: "\(url.path) already contains files of an unreadable study (\(existing.joined(separator: ", "))); add --force to replace them, or choose another --output")
            }
            return
        }
        let differing = try Self.differingKeys(earlier.study, study)
        guard differing.isEmpty else {
            let fix = resume ? "resume with the original config, or start over with --force"
                : "add --force to replace it, or choose another --output"
            throw UsageError(description: "\(url.path) already contains another study (differing keys: \(differing.joined(separator: ", "))); \(fix)")
        }
    }

    /// Throws unless `path` is a `kind` ("folder" or "file") that can be created or
    /// written: the path is of that kind or absent, and its nearest existing parent is a
    /// writable folder.
    static func checkWritable(_ path: URL, option: String, kind: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) {
            guard isFolder.boolValue == (kind == "folder") else {
                throw UsageError(description: "\(option) \(path.path) is \(isFolder.boolValue ? "a folder" : "a file"), not a \(kind); give the path of a \(kind)")
            }
            guard FileManager.default.isWritableFile(atPath: path.path) else {
                throw UsageError(description: "\(option) \(path.path) is not writable; give a \(kind) you can write to")
            }
            return
        }
        var parent = path.deletingLastPathComponent()
        if kind == "file" && !FileManager.default.fileExists(atPath: parent.path) {
            throw UsageError(description: "\(option) \(path.path): the folder \(parent.path) does not exist; create it first or give another path")
        }
        while !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder) && parent.path != "/" {
            parent = parent.deletingLastPathComponent()
        }
        guard isFolder.boolValue, FileManager.default.isWritableFile(atPath: parent.path) else {
            throw UsageError(description: "\(option) \(path.path) cannot be created: \(parent.path) is not a writable folder; give a path inside a folder you can write to")
        }
    }

    /// Opens the journal to append to and returns the points it already contains.
    ///
    /// - Throws: `UsageError` when resuming a journal of another config, or when the folder
    ///   contains a different study and `force` is not set.
    func prepare(header: JournalHeader, resume: Bool, force: Bool) throws -> (JournalFile, [Int: JournalEntry]) {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let files = [journalURL, url.appendingPathComponent("results.json"), url.appendingPathComponent("results.csv")]
        let existing = files.filter { FileManager.default.fileExists(atPath: $0.path) }
        if resume && !FileManager.default.fileExists(atPath: journalURL.path) {
            // A run killed before its journal existed has nothing to keep, so it starts over.
            log("note: \(journalURL.path) does not exist yet; starting the study from the beginning")
        } else if resume {
            let contents = try JournalFile.read(journalURL)
            try Self.checkSameStudy(contents.header, header, journal: journalURL)
            if contents.droppedTornLine { log("note: dropped a torn last record in \(journalURL.path)") }
            var entries: [Int: JournalEntry] = [:]
            for entry in contents.entries { entries[entry.point] = entry }
            return (try JournalFile.open(journalURL, keepingBytes: contents.validBytes), entries)
        }
        if !existing.isEmpty {
            if !force {
                guard let earlier = earlierStudy(), (try? Self.checkSameStudy(earlier, header, journal: journalURL)) != nil else {
                    throw UsageError(description: "\(url.path) already contains another study (\(existing.map(\.lastPathComponent).joined(separator: ", "))); add --force to replace it, or choose another --output")
                }
                log("note: \(url.path) holds an earlier run of this study; starting it over (--resume keeps its finished points)")
            }
            for file in existing { try FileManager.default.removeItem(at: file) }
        }
        return (try JournalFile.create(at: journalURL, header: header), [:])
    }

    /// Returns the header of the study in the folder: from its journal, or rebuilt from
    /// results.json when an older run left no journal. Nil when neither can be read.
    private func earlierStudy() -> JournalHeader? {
        if let contents = try? JournalFile.read(journalURL) { return contents.header }
        guard let data = try? Data(contentsOf: url.appendingPathComponent("results.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let study = object["study"], let testImages = object["testImages"] as? Int,
              let studyData = try? JSONSerialization.data(withJSONObject: study),
              let config = try? JSONDecoder().decode(StudyConfig.self, from: studyData)
        else { return nil }
        return JournalHeader(version: "", study: config, shard: nil, testImages: testImages, floatAccuracy: 0, mapping: [])
    }

    /// Throws, naming the differing keys, unless the journal was written by the same study.
    static func checkSameStudy(_ journaled: JournalHeader, _ current: JournalHeader, journal: URL) throws {
        let differing = try differingKeys(journaled.study, current.study)
        guard differing.isEmpty else {
            throw UsageError(description: "\(journal.path) was written by a different study config; differing keys: \(differing.joined(separator: ", ")); resume with the original config, or start over with --force")
        }
        guard journaled.shard == current.shard else {
            throw UsageError(description: "\(journal.path) contains shard \(journaled.shard?.description ?? "none"), not \(current.shard?.description ?? "none"); resume with the same --shard")
        }
        guard journaled.testImages == current.testImages else {
            throw UsageError(description: "\(journal.path) scored \(journaled.testImages) test images, this run \(current.testImages); resume with the same --limit and --data-dir")
        }
    }

    /// Dotted key paths whose values differ between two configs.
    static func differingKeys(_ a: StudyConfig, _ b: StudyConfig) throws -> [String] {
        let left = flatten(try JSONSerialization.jsonObject(with: Data(JournalFile.encode(a).utf8)))
        let right = flatten(try JSONSerialization.jsonObject(with: Data(JournalFile.encode(b).utf8)))
        return Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
    }

    private static func flatten(_ value: Any, prefix: String = "") -> [String: String] {
        if let object = value as? [String: Any] {
            return object.reduce(into: [:]) { result, pair in
                result.merge(flatten(pair.value, prefix: prefix.isEmpty ? pair.key : prefix + "." + pair.key)) { $1 }
            }
        }
        if let array = value as? [Any] {
            return [prefix: array.map { "\($0)" }.joined(separator: ",")]
        }
        return [prefix: "\(value)"]
    }
}
