import Accelerator
import Foundation
import ModelImport

/// One `reram-emu run`: loads the study, checks it fits in memory, journals every finished
/// grid point, and writes the results when the whole study (not a shard) is done.
struct StudyExecution {
    var config: StudyConfig
    var configURL: URL
    var threads: Int
    var output: URL
    var dataDirectory: String?
    var limit: Int?
    var shard: Shard?
    var resume: Bool
    var force: Bool
    var quiet: Bool

    func run() throws {
        let started = Date()
        try OutputFolder(url: output).checkBeforeRun(study: config, resume: resume, force: force)
        // Installed first, so a signal during loading also stops the run cleanly.
        Interruption.shared.install()
        try checkModelFitsInMemory()
        let inputs = try StudyLoader.load(config, configURL: configURL, dataDirectory: dataDirectory, limit: limit,
                                          log: { if !quiet { log($0) } })
        var study = MonteCarloStudy(network: inputs.network, testSet: inputs.testSet,
                                    inputFullScale: inputs.inputFullScale, trials: config.trials,
                                    seed: config.seed, batchSize: config.batchSize, threads: threads,
                                    calibrationImages: inputs.calibrationSet)
        study.distortionImages = config.distortionImages
        study.adaptive = config.adaptiveTrials
        let mappings = config.tileShapes.flatMap { TileScheduler.map(inputs.network, tile: $0) }
        try checkStudyFitsInMemory(inputs, mappings: mappings)
        let plan = StudyPlan(points: config.points, study: study)
        let farCorner = try FarCornerReport.compute(mappings, wires: plan.points.map(\.wires).uniqued(),
                                                    gmaxSiemens: config.device.maximumSiemens)
        if !quiet {
            for tile in config.tileShapes {
                let onTile = mappings.indices.filter { mappings[$0].tile == tile }
                print(ReportTables.mapping(onTile.map { mappings[$0] }))
                if farCorner.contains(where: { !$0.isEmpty }) {
                    print(FarCornerReport.table(onTile.map { mappings[$0] }, records: onTile.map { farCorner[$0] }))
                }
            }
        }
        let floatAccuracy = study.floatAccuracy()
        if !quiet { log(String(format: "float accuracy on %d test images: %.2f %%", inputs.testSet.count, floatAccuracy * 100)) }
        let header = JournalHeader(version: reramEmuVersion, study: config, shard: shard, testImages: inputs.testSet.count,
                                   floatAccuracy: floatAccuracy,
                                   mapping: zip(mappings, farCorner).map { MappingRecord($0, farCorner: $1) })
        let (journal, finished) = try OutputFolder(url: output).prepare(header: header, resume: resume, force: force)
        if !quiet && !finished.isEmpty { log("resuming: \(finished.count) grid points already in \(journal.url.path)") }

        var entries = finished
        try runPoints(plan, study: study, journal: journal, entries: &entries)
        if let signal = Interruption.shared.receivedSignal {
            let arguments = CommandLine.arguments.dropFirst().filter { $0 != "--force" && $0 != "--resume" }
            let named = arguments.contains { $0 == "--output" || $0.hasPrefix("--output=") }
            let command = (["reram-emu"] + arguments + (named ? [] : ["--output", output.path]) + ["--resume"])
                .joined(separator: " ")
            throw InterruptedError(description: "stopped by \(signal): \(entries.count) of \(plan.points.count) grid points are saved in \(journal.url.path); continue with: \(command)")
        }
        guard shard == nil else {
            log("shard \(shard!) finished: \(journal.url.path); combine all shards with: reram-emu merge DIR... --output DIR")
            return
        }
        let results = ResultsAssembly.results(header: header, plan: plan, entries: entries,
                                              environment: RunEnvironment.current(threads: threads, started: started))
        try ResultsWriter.write(results, to: output)
        try ReportCommand.write(in: output)
        print(ReportTables.accuracy(results.points, floatAccuracy: floatAccuracy))
        if config.distortionImages > 0 { print(ReportTables.distortion(results.points)) }
        log("wrote \(output.path)/results.csv and results.json in \(ProgressReporter.duration(results.environment.runSeconds))")
    }

    /// Runs every point of this run's share that the journal does not hold yet.
    private func runPoints(_ plan: StudyPlan, study: MonteCarloStudy, journal: JournalFile,
                           entries: inout [Int: JournalEntry]) throws {
        let shareOfTrials = plan.trials(for: shard)
        let remaining = plan.points.filter { entries[$0.index] == nil && !shareOfTrials[$0.index].isEmpty }
        let progress = ProgressReporter(totalTrials: remaining.reduce(0) { $0 + shareOfTrials[$1.index].count }, quiet: quiet)
        defer { progress.finish() }
        let stop: @Sendable () -> Bool = { Interruption.shared.isRequested }
        for (done, point) in remaining.enumerated() {
            let report: @Sendable (Int, Int) -> Void = { trialsDone, total in
                progress.trialFinished(StudyProgress(pointsDone: done, pointCount: remaining.count, point: point,
                                                     trialsDone: trialsDone, trialCount: total))
            }
            let settings = try config.settings(for: point)
            let entry: JournalEntry
            if shard == nil {
                guard let result = try study.runPointUnlessStopped(point, settings: settings, shouldStop: stop,
                                                                   trialFinished: report) else { return }
                entry = JournalEntry(point: point.index, records: result.records, adaptiveStop: result.adaptiveStop)
            } else {
                let trials = shareOfTrials[point.index]
                guard let records = try study.runTrials(trials, of: point, settings: try study.calibrated(settings),
                                                        shouldStop: stop, finished: { report($0, trials.count) })
                else { return }
                entry = JournalEntry(point: point.index, records: records, adaptiveStop: nil)
            }
            try journal.append(entry)
            entries[point.index] = entry
        }
    }

    private func checkModelFitsInMemory() throws {
        let modelURL = URL(fileURLWithPath: config.model, relativeTo: configURL.deletingLastPathComponent()).standardizedFileURL
        guard let size = (try? FileManager.default.attributesOfItem(atPath: modelURL.path))?[.size] as? Int,
              let available = MemoryEstimate.availableBytes() else { return }
        let needed = MemoryEstimate.modelLoading(fileBytes: size)
        if needed > available {
            throw UsageError(description: "\(modelURL.path): loading this \(megabytes(size)) model needs about \(megabytes(needed)) but only \(megabytes(available)) of memory is available; free memory or use a machine with more")
        }
    }

    private func checkStudyFitsInMemory(_ inputs: StudyInputs, mappings: [LayerMapping]) throws {
        guard let available = MemoryEstimate.availableBytes() else { return }
        let needed = MemoryEstimate.study(inputs.network, mappings: mappings, images: inputs.testSet.count,
                                          imageSize: inputs.testSet.shape.reduce(1, *), batchSize: config.batchSize,
                                          workers: threads)
        if needed > available {
            throw UsageError(description: "this study needs about \(megabytes(needed)) of memory (network, images and \(threads) workers' tiles and batches of \(config.batchSize)) but only \(megabytes(available)) is available; lower batchSize or --threads, or use a machine with more memory")
        }
    }
}

func megabytes(_ bytes: Int) -> String {
    String(format: "%.0f MB", Double(bytes) / 1_048_576)
}

/// Builds the results of a whole study from journal entries, the same way for a single
/// run, a resumed run and merged shards, so all three give identical files.
enum ResultsAssembly {
    static func results(header: JournalHeader, plan: StudyPlan, entries: [Int: JournalEntry],
                        environment: RunEnvironment) -> StudyResults {
        let records = plan.points.map { point -> PointRecord in
            let entry = entries[point.index]!
            var result = PointResult(point: point, records: entry.records, testImages: header.testImages)
            result.adaptiveStop = entry.adaptiveStop
            return PointRecord(result, floatAccuracy: header.floatAccuracy)
        }
        return StudyResults(version: reramEmuVersion, study: header.study, environment: environment,
                            floatAccuracy: header.floatAccuracy, testImages: header.testImages,
                            mapping: header.mapping, points: records)
    }
}
