import Accelerator
import Foundation

/// `reram-emu merge DIR... --output DIR`: the results of a whole study from its shards.
enum MergeCommand {
    static let usage = """
    usage: reram-emu merge DIR... --output DIR

    Combines the output folders of `reram-emu run --shard I/N` into the results of the
    whole study, identical to a single-machine run apart from the environment fields.
    Every work unit (grid point, trial) must appear in exactly one shard.
    """

    static func run(_ arguments: [String]) throws {
        let options = try ParsedArguments(arguments, valueOptions: ["--output"], flagOptions: ["--help", "--force"])
        if options.has("--help") {
            print(usage)
            return
        }
        guard !options.positionals.isEmpty, let output = options.value("--output") else {
            throw UsageError(description: "merge needs the shard folders and --output DIR\n\n\(usage)")
        }
        let started = Date()
        let shards = try options.positionals.map { folder in
            (folder, try JournalFile.read(URL(fileURLWithPath: folder).appendingPathComponent(JournalFile.name)))
        }
        let header = try checkCompatible(shards)
        let points = header.study.points
        let plan = StudyPlan(trialCounts: points.map {
            MonteCarloStudy.plannedTrials(for: $0, trials: header.study.trials, adaptive: header.study.adaptiveTrials)
        }, points: points)
        let entries = try combine(shards, plan: plan, shardCount: header.shard?.count ?? 1)
        let destination = URL(fileURLWithPath: output)
        let existing = ["results.json", "results.csv"].filter {
            FileManager.default.fileExists(atPath: destination.appendingPathComponent($0).path)
        }
        if !existing.isEmpty && !options.has("--force") {
            throw UsageError(description: "\(output) already contains \(existing.joined(separator: ", ")); choose another --output or add --force")
        }
        let results = ResultsAssembly.results(header: header, plan: plan, entries: entries,
                                              environment: RunEnvironment.current(threads: 0, started: started))
        try ResultsWriter.write(results, to: destination)
        print(ReportTables.accuracy(results.points, floatAccuracy: header.floatAccuracy))
        log("merged \(shards.count) shards into \(output)/results.csv and results.json")
    }

    /// Returns the common header after checking that every shard ran the same study.
    static func checkCompatible(_ shards: [(String, JournalFile.Contents)]) throws -> JournalHeader {
        let (firstFolder, first) = shards[0]
        for (folder, contents) in shards.dropFirst() {
            let differing = try OutputFolder.differingKeys(first.header.study, contents.header.study)
            guard differing.isEmpty else {
                throw UsageError(description: "\(folder) ran another study than \(firstFolder); differing keys: \(differing.joined(separator: ", "))")
            }
            guard contents.header.shard?.count == first.header.shard?.count, contents.header.testImages == first.header.testImages else {
                throw UsageError(description: "\(folder) was split as \(contents.header.shard?.description ?? "no shard") on \(contents.header.testImages) images, \(firstFolder) as \(first.header.shard?.description ?? "no shard") on \(first.header.testImages); merge shards of one split")
            }
        }
        return first.header
    }

    /// Collects every point's trials from all shards; throws unless each unit appears exactly once.
    static func combine(_ shards: [(String, JournalFile.Contents)], plan: StudyPlan,
                        shardCount: Int) throws -> [Int: JournalEntry] {
        var present = Set(shards.compactMap { $0.1.header.shard?.index })
        if shardCount == 1 { present.insert(1) }
        let missingShards = (1...shardCount).filter { !present.contains($0) }
        guard missingShards.isEmpty else {
            throw UsageError(description: "shard \(missingShards.map { "\($0)/\(shardCount)" }.joined(separator: ", ")) missing: no folder given contains it; run it with --shard and merge again")
        }
        var records: [Int: [TrialRecord]] = [:]
        var duplicated: [String] = []
        var seen = Set<[Int]>()
        for (_, contents) in shards {
            for entry in contents.entries {
                for record in entry.records {
                    if !seen.insert([entry.point, record.trial]).inserted { duplicated.append("(\(entry.point), \(record.trial))") }
                    records[entry.point, default: []].append(record)
                }
            }
        }
        guard duplicated.isEmpty else {
            throw UsageError(description: "work units (point, trial) appear in more than one shard: \(duplicated.prefix(20).joined(separator: " ")); merge each shard once")
        }
        var missing: [String] = []
        for (point, count) in plan.trialCounts.enumerated() {
            for trial in 0..<count where !seen.contains([point, trial]) { missing.append("(\(point), \(trial))") }
        }
        guard missing.isEmpty else {
            throw UsageError(description: "\(missing.count) work units (point, trial) are missing: \(missing.prefix(20).joined(separator: " "))\(missing.count > 20 ? " ..." : ""); resume the shards that hold them with --resume and merge again")
        }
        return records.reduce(into: [:]) { result, pair in
            result[pair.key] = JournalEntry(point: pair.key, records: pair.value.sorted { $0.trial < $1.trial }, adaptiveStop: nil)
        }
    }
}
