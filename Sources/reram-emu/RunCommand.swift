import Accelerator
import Crossbar
import Foundation
import ModelImport

/// `reram-emu run CONFIG`: the Monte Carlo study a config describes.
enum RunCommand {
    static let usage = """
    usage: reram-emu run CONFIG [options]

    Runs the Monte Carlo study in CONFIG (a JSON file, see configs/) and writes
    results.csv, results.json, report.html and plots/ to the output folder.

    options:
      --output DIR     output folder (default: results/<study name>)
      --threads N      worker threads (default: all cores)
      --data-dir DIR   read the full test set from DIR instead of the bundled one
                       (idx: t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz];
                       cifar10: test_batch.bin)
      --limit N        score only the first N test images
      --trials N       trials per grid point with variation (overrides the config)
      --seed N         study seed (overrides the config)
      --quiet          no progress on stderr
    """

    static func run(_ arguments: [String]) throws {
        let options = try ParsedArguments(
            arguments, valueOptions: ["--output", "--threads", "--data-dir", "--limit", "--trials", "--seed"],
            flagOptions: ["--quiet", "--help"])
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
        let threads = try options.integer("--threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let limit = try options.integer("--limit", in: 1...10_000_000)
        let output = URL(fileURLWithPath: options.value("--output") ?? "results/\(config.name)")
        let quiet = options.has("--quiet")

        let started = Date()
        let inputs = try StudyLoader.load(config, configURL: configURL,
                                          dataDirectory: options.value("--data-dir"), limit: limit,
                                          log: { if !quiet { log($0) } })
        let study = MonteCarloStudy(network: inputs.network, testSet: inputs.testSet,
                                    inputFullScale: inputs.inputFullScale, trials: config.trials,
                                    seed: config.seed, batchSize: config.batchSize, threads: threads)
        let mapping = TileScheduler.map(inputs.network, tile: TileShape(rows: config.array.tileRows,
                                                                        columns: config.array.tileColumns))
        if !quiet { print(ReportTables.mapping(mapping)) }
        let floatAccuracy = study.floatAccuracy()
        if !quiet { log(String(format: "float accuracy on %d test images: %.2f %%", inputs.testSet.count, floatAccuracy * 100)) }

        let points = config.points
        let progress = ProgressReporter(totalTrials: points.map(study.trialCount(for:)).reduce(0, +), quiet: quiet)
        let results = try study.run(points, settings: config.settings(for:), progress: progress.trialFinished)
        progress.finish()

        let records = results.map { PointRecord($0, floatAccuracy: floatAccuracy) }
        let environment = RunEnvironment.current(threads: threads, started: started)
        let studyResults = StudyResults(version: reramEmuVersion, study: config, environment: environment,
                                        floatAccuracy: floatAccuracy, testImages: inputs.testSet.count,
                                        mapping: mapping.map(MappingRecord.init), points: records)
        try ResultsWriter.write(studyResults, to: output)
        try ReportCommand.write(in: output)
        print(ReportTables.accuracy(records, floatAccuracy: floatAccuracy))
        log("wrote \(output.path)/results.csv and results.json in \(ProgressReporter.duration(environment.runSeconds))")
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

/// Writes one line to stderr.
func log(_ message: String) {
    fflush(stdout)
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
