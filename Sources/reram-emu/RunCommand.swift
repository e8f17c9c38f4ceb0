import Accelerator
import Crossbar
import Foundation
import ModelImport

/// `reram-emu run CONFIG`: the Monte Carlo study a config describes.
enum RunCommand {
    static let usage = """
    usage: reram-emu run CONFIG [options]

    Runs the Monte Carlo study in CONFIG (a JSON file, see configs/) and writes
    results.csv, results.json, report.html and plots/ to the output folder. Every
    finished grid point is appended to journal.jsonl there first, so an interrupted
    study can resume.

    options:
      --output DIR     output folder (default: results/<study name>)
      --threads N      worker threads (default: all cores)
      --data-dir DIR   read the full test set from DIR instead of the bundled one
                       (idx: t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz];
                       cifar10: test_batch.bin)
      --limit N        score only the first N test images
      --trials N       trials per grid point with variation (overrides the config)
      --seed N         study seed (overrides the config)
      --resume         continue the study journaled in the output folder
      --force          start over in an output folder that holds another study
      --shard I/N      run only shard I of N (work units split by grid point and trial);
                       combine the shards' folders with `reram-emu merge`
      --quiet          no progress on stderr
    """

    static func run(_ arguments: [String]) throws {
        let options = try ParsedArguments(
            arguments, valueOptions: ["--output", "--threads", "--data-dir", "--limit", "--trials", "--seed", "--shard"],
            flagOptions: ["--quiet", "--help", "--resume", "--force"])
        if options.has("--help") {
            print(usage)
            return
        }
        guard options.positionals.count == 1 else {
            throw UsageError(description: "run takes one CONFIG file, got \(options.positionals.count) arguments\n\n\(usage)")
        }
        let configURL = URL(fileURLWithPath: options.positionals[0])
        var config = try StudyLoader.readConfig(configURL)
        if let trials = try options.integer("--trials", in: 1...100_000) { config.trials = trials }
        if let seed = options.value("--seed") {
            guard let value = UInt64(seed) else {
                throw UsageError(description: "the value '\(seed)' is invalid for --seed; give an integer from 0 to \(UInt64.max)")
            }
            config.seed = value
        }
        let shard = try options.value("--shard").map(parseShard)
        if shard != nil && config.adaptiveTrials != nil {
            throw UsageError(description: "--shard cannot split a study with adaptiveTrials, because the trials a point needs are known only as it runs; remove adaptiveTrials or run on one machine")
        }
        let execution = StudyExecution(
            config: config, configURL: configURL,
            threads: try options.integer("--threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount,
            output: URL(fileURLWithPath: options.value("--output") ?? "results/\(config.name)"),
            dataDirectory: options.value("--data-dir"), limit: try options.integer("--limit", in: 1...10_000_000),
            shard: shard, resume: options.has("--resume"), force: options.has("--force"), quiet: options.has("--quiet"))
        try execution.run()
    }

    static func parseShard(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, count <= 100_000, (1...count).contains(index)
        else {
            throw UsageError(description: "the value '\(text)' is invalid for --shard; write I/N with 1 <= I <= N, for example 2/4")
        }
        return Shard(index: index, count: count)
    }
}

extension RunEnvironment {
    static func current(threads: Int, started: Date) -> RunEnvironment {
        let info = ProcessInfo.processInfo
        return RunEnvironment(hostname: info.hostName, operatingSystem: info.operatingSystemVersionString,
                              processorCount: info.activeProcessorCount, threads: threads,
                              openBLASCore: BLAS.coreName,
                              startedAt: ISO8601DateFormatter().string(from: started),
                              runSeconds: Date().timeIntervalSince(started))
    }
}

/// Writes one line to stderr, after whatever stdout holds.
func log(_ message: String) {
    fflush(stdout)
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A study stopped by SIGINT or SIGTERM after saving its finished points.
struct InterruptedError: Error, CustomStringConvertible {
    let description: String
}
