import Crossbar
import DeviceModel
import Peripherals

/// One point of a study's grid.
public struct GridPoint: Hashable, Sendable {
    /// The point's position in the grid; part of every trial's random stream seed.
    public var index: Int
    public var levels: LevelCount
    /// Programming variation sigma, as a fraction (0.05 is 5 %).
    public var variation: Double
    /// Gmax / Gmin.
    public var dynamicRange: Double
    public var tile: TileShape
    public var dacResolution: ConverterResolution
    public var adcResolution: ConverterResolution
    public var adcRange: ADCConfig.Range
    /// t, the read time after programming in seconds, when the device drifts.
    public var readTimeSeconds: Double?
    /// Wire, driver and sense resistance of the tiles; `.ideal` for none.
    public var wires = WireResistance.ideal
    /// True when read noise, stuck-at faults or a spread of drift exponents make trials
    /// differ even without programming variation.
    public var hasDeviceNoise = false

    public init(index: Int, levels: LevelCount, variation: Double, dynamicRange: Double,
                tile: TileShape = TileShape(rows: 128, columns: 128), dacResolution: ConverterResolution = .ideal,
                adcResolution: ConverterResolution = .ideal, adcRange: ADCConfig.Range = .worstCase,
                readTimeSeconds: Double? = nil, hasDeviceNoise: Bool = false) {
        self.readTimeSeconds = readTimeSeconds
        self.hasDeviceNoise = hasDeviceNoise
        self.index = index
        self.levels = levels
        self.variation = variation
        self.dynamicRange = dynamicRange
        self.tile = tile
        self.dacResolution = dacResolution
        self.adcResolution = adcResolution
        self.adcRange = adcRange
    }
}

/// The trials of one grid point.
public struct PointResult: Sendable {
    public var point: GridPoint
    /// Test accuracy of every trial, as a fraction, in trial order.
    public var accuracies: [Double]
    public var statistics: TrialStatistics
    /// ADC and DAC clip counts summed over layers and trials.
    public var adcClips: ClipCounts
    public var dacClips: ClipCounts
    /// Per weight layer, in network order.
    public var distortion: [LayerDistortionSummary]
    /// The reason an adaptive point stopped; nil for a fixed trial count.
    public var adaptiveStop: AdaptiveTrials.Stop?
    /// The trials the result was built from, in trial order.
    public var records: [TrialRecord] = []
}

/// Stops a grid point once the 95 % confidence half-width of its mean accuracy reaches a
/// target. Trials run in rounds of fixed size (the minimum, then `step` more), so the
/// stopping point, like every result, does not depend on the thread count.
public struct AdaptiveTrials: Sendable, Codable, Hashable {
    /// The 95 % CI half-width to reach, as an accuracy fraction (0.005 is 0.5 points).
    public var targetHalfWidth: Double
    public var minimum: Int
    public var maximum: Int
    public var step = 4

    public enum Stop: String, Sendable, Codable {
        case targetReached
        case maximumTrials
    }

    public init(targetHalfWidth: Double, minimum: Int, maximum: Int, step: Int = 4) {
        self.targetHalfWidth = targetHalfWidth
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }

    func stop(after statistics: TrialStatistics) -> Stop? {
        if statistics.trials >= minimum && statistics.confidenceHalfWidth <= targetHalfWidth { return .targetReached }
        if statistics.trials >= maximum { return .maximumTrials }
        return nil
    }
}

extension GridPoint {
    /// True when two trials of the point can differ.
    public var isRandom: Bool { variation > 0 || hasDeviceNoise }
}

/// A Monte Carlo study: for every grid point, T trials that each program the network
/// with fresh variation and score it on the whole test set. A trial's random stream is
/// seeded from (seed, point index, trial index) only, every work unit runs OpenBLAS on
/// one thread, and work is split the same way for any thread count, so results do not
/// depend on `threads`.
public struct MonteCarloStudy: Sendable {
    public var network: Network
    public var testSet: Dataset
    public var inputFullScale: [Int: Float]
    public var trials: Int
    public var seed: UInt64
    public var batchSize: Int
    public var threads: Int
    /// Images for calibrating ADC ranges, never scored; the first 500 test images when nil.
    public var calibrationImages: Dataset?
    /// Test images on which each trial measures per-layer distortion; 0 turns it off.
    public var distortionImages = 100
    /// When set, a point with variation runs until its CI is narrow enough instead of
    /// `trials` times.
    public var adaptive: AdaptiveTrials?

    public init(network: Network, testSet: Dataset, inputFullScale: [Int: Float], trials: Int,
                seed: UInt64, batchSize: Int, threads: Int, calibrationImages: Dataset? = nil) {
        self.calibrationImages = calibrationImages
        self.network = network
        self.testSet = testSet
        self.inputFullScale = inputFullScale
        self.trials = trials
        self.seed = seed
        self.batchSize = batchSize
        self.threads = threads
    }

    /// Trials a point needs: one when nothing is random, since every trial would be equal.
    public func trialCount(for point: GridPoint) -> Int {
        Self.plannedTrials(for: point, trials: trials, adaptive: adaptive)
    }

    /// The trials a point starts with: one when nothing is random, else the adaptive
    /// minimum or `trials`.
    public static func plannedTrials(for point: GridPoint, trials: Int, adaptive: AdaptiveTrials?) -> Int {
        !point.isRandom ? 1 : adaptive?.minimum ?? trials
    }

    /// Returns the float network's accuracy on the test set.
    public func floatAccuracy() -> Double {
        BLAS.setThreadCount(1)
        let ranges = testSet.batchRanges(batchSize: batchSize)
        let correct = Shared([Int](repeating: 0, count: ranges.count))
        runInParallel(count: ranges.count, threads: threads) { b in
            let count = countCorrect(engine: FloatEngine(), range: ranges[b])
            correct.update { $0[b] = count }
        }
        return Double(correct.update { $0.reduce(0, +) }) / Double(testSet.count)
    }

    /// Runs one point's trials: in parallel over trials when there are enough of them to
    /// keep every worker busy, otherwise trial after trial in parallel over image batches.
    public func runPoint(_ point: GridPoint, settings requested: AnalogSettings,
                         trialFinished: (@Sendable (Int, Int) -> Void)? = nil) throws -> PointResult {
        try runPointUnlessStopped(point, settings: requested, trialFinished: trialFinished)!
    }

    /// Runs a point's trials, adaptively when `adaptive` is set, and returns nil when
    /// `shouldStop` turned true before they all started.
    public func runPointUnlessStopped(_ point: GridPoint, settings requested: AnalogSettings,
                                      shouldStop: @escaping @Sendable () -> Bool = { false },
                                      trialFinished: (@Sendable (Int, Int) -> Void)? = nil) throws -> PointResult? {
        let settings = try calibrated(requested)
        var records: [TrialRecord] = []
        var planned = trialCount(for: point)
        var stop: AdaptiveTrials.Stop?
        while true {
            let total = planned
            guard let round = try runTrials(Array(records.count..<total), of: point, settings: settings,
                                            shouldStop: shouldStop, finished: { trialFinished?($0, total) })
            else { return nil }
            records += round
            guard let adaptive, point.isRandom else { break }
            if let reason = adaptive.stop(after: PointResult(point: point, records: records, testImages: testSet.count).statistics) {
                stop = reason
                break
            }
            planned = min(planned + adaptive.step, adaptive.maximum)
        }
        var result = PointResult(point: point, records: records, testImages: testSet.count)
        result.adaptiveStop = stop
        result.records = records
        return result
    }

    /// Runs the listed trials of a point, with settings already `calibrated`: in parallel
    /// over trials when there are enough of them to keep every worker busy, otherwise one
    /// after another in parallel over image batches. Returns the records in the order of
    /// `trials`, or nil when `shouldStop` turned true before all of them started; trials
    /// already running finish first.
    public func runTrials(_ trials: [Int], of point: GridPoint, settings: AnalogSettings,
                          shouldStop: @escaping @Sendable () -> Bool = { false },
                          finished: @escaping @Sendable (Int) -> Void = { _ in }) throws -> [TrialRecord]? {
        BLAS.setThreadCount(1)
        let records = Shared([TrialRecord?](repeating: nil, count: trials.count))
        let done = Shared(0)
        let trialSeeds = trials.map { SeedSequence.seed(seed, UInt64(point.index), UInt64($0)) }
        let streams = try trialSeeds.map { trialSeed in
            try ProgrammingStreams(programming: try RandomGenerator(seed: trialSeed), trialSeed: trialSeed,
                                   cells: settings.cellProgramming)
        }
        let runTrial: (Int, Int) -> Void = { offset, batchThreads in
            guard !shouldStop() else { return }
            let programmed = ProgrammedNetwork.program(network, settings: settings, inputFullScale: inputFullScale,
                                                       streams: streams[offset])
            var record = evaluate(programmed, threads: batchThreads, trialSeed: trialSeeds[offset])
            record.trial = trials[offset]
            record.distortion = measureDistortion(programmed, readNoiseGenerator: readNoiseGenerator(
                settings, trialSeed: trialSeeds[offset], batch: Self.distortionBatch))
            if !settings.wires.isIdeal {
                record.farCornerErrorMax = programmed.layers.values.flatMap(\.farCornerErrors).max()
            }
            if !settings.faults.isNone {
                record.stuckOffCells = programmed.faults.stuckOff
                record.stuckOnCells = programmed.faults.stuckOn
            }
            records.update { $0[offset] = record }
            finished(done.update { $0 += 1; return $0 })
        }
        if trials.count >= threads {
            runInParallel(count: trials.count, threads: threads) { runTrial($0, 1) }
        } else {
            for offset in trials.indices { runTrial(offset, threads) }
        }
        let all = records.update { $0 }
        guard all.allSatisfy({ $0 != nil }) else { return nil }
        return all.map { $0! }
    }

    /// Fills in calibrated ADC ranges. The tiles are programmed without variation, read
    /// noise, faults or drift, and the calibration images run through them with an ideal
    /// ADC. Each layer's range is the requested percentile of its tiles' current magnitudes.
    public func calibrated(_ settings: AnalogSettings) throws -> AnalogSettings {
        guard case .calibrated(let percentile) = settings.adcRange, settings.calibratedFullScaleAmperes.isEmpty else {
            return settings
        }
        var ideal = settings
        ideal.variation = try ProgrammingVariation(model: .relative, sigma: 0, window: settings.window)
        ideal.adc = ADC(resolution: .ideal)
        ideal.adcRange = .worstCase
        ideal.faults = .none
        ideal.drift = nil
        ideal.readNoise = 0
        let programmed = ProgrammedNetwork.program(network, settings: ideal, inputFullScale: inputFullScale,
                                                   generator: try RandomGenerator(seed: seed))
        let recorder = CurrentRecorder()
        let images = calibrationImages ?? testSet.prefix(500)
        for range in images.batchRanges(batchSize: batchSize) {
            _ = network.forward(images.batch(range), engine: AnalogEngine(programmed: programmed, recorder: recorder))
        }
        var result = settings
        for (index, magnitudes) in recorder.magnitudes {
            let sorted = magnitudes.sorted()
            let position = min(sorted.count - 1, Int((percentile / 100 * Double(sorted.count - 1)).rounded(.up)))
            // A layer whose currents are all zero still needs a positive range.
            result.calibratedFullScaleAmperes[index] = max(sorted[position], Float.leastNormalMagnitude)
        }
        return result
    }

    /// The batch number of the read-noise stream that per-layer distortion draws from.
    static let distortionBatch = UInt64.max

    /// Returns the read-noise stream of one (trial, image batch), or nil without read noise. It
    /// depends only on the trial's seed and the batch, never on which thread runs it.
    func readNoiseGenerator(_ settings: AnalogSettings, trialSeed: UInt64, batch: UInt64) -> RandomGenerator? {
        guard settings.readNoise > 0 else { return nil }
        // GSL fails to allocate a generator only when memory is exhausted.
        return try! RandomGenerator(seed: SeedSequence.seed(trialSeed, ReadNoise.streamLabel, batch), algorithm: .taus2)
    }

    /// Scores one programmed network on the test set, split into fixed batches.
    func evaluate(_ programmed: ProgrammedNetwork, threads: Int, trialSeed: UInt64) -> TrialRecord {
        let ranges = testSet.batchRanges(batchSize: batchSize)
        let perBatch = Shared([TrialRecord?](repeating: nil, count: ranges.count))
        runInParallel(count: ranges.count, threads: threads) { b in
            let statistics = ConverterStatistics()
            let engine = AnalogEngine(programmed: programmed, statistics: statistics,
                                      readNoiseGenerator: readNoiseGenerator(programmed.settings, trialSeed: trialSeed,
                                                                             batch: UInt64(b)))
            let outcome = TrialRecord(correct: countCorrect(engine: engine, range: ranges[b]),
                                       adcClips: statistics.adcClips.values.reduce(into: ClipCounts()) { $0 += $1 },
                                       dacClips: statistics.dacClips.values.reduce(into: ClipCounts()) { $0 += $1 })
            perBatch.update { $0[b] = outcome }
        }
        return perBatch.update { $0 }.reduce(TrialRecord()) { total, batch in
            var sum = total
            sum.correct += batch!.correct
            sum.adcClips += batch!.adcClips
            sum.dacClips += batch!.dacClips
            return sum
        }
    }

    func countCorrect(engine: some MatrixEngine, range: Range<Int>) -> Int {
        let predictions = network.forward(testSet.batch(range), engine: engine).argmax()
        return zip(predictions, testSet.labels[range]).filter { $0 == $1 }.count
    }
}

/// The outcome of one trial: enough to rebuild every statistic of its point, so trials
/// can be journaled, split over shards and merged.
public struct TrialRecord: Codable, Hashable, Sendable {
    public var trial = 0
    /// Correctly classified test images.
    public var correct = 0
    public var adcClips = ClipCounts()
    public var dacClips = ClipCounts()
    public var distortion: [LayerDistortion] = []
    /// Cells stuck at Gmin or at Gmax in this trial's programming, over all tiles; nil
    /// when the device has no stuck-at faults.
    public var stuckOffCells: Int?
    public var stuckOnCells: Int?
    /// With wire resistance: the largest far-corner relative error of this trial's
    /// programmed tiles (see `WireResistanceSolution`); nil for ideal wires.
    public var farCornerErrorMax: Double?
}

extension PointResult {
    /// Builds the result of a point from its trial records, in trial order.
    public init(point: GridPoint, records: [TrialRecord], testImages: Int) {
        let ordered = records.sorted { $0.trial < $1.trial }
        let accuracies = ordered.map { Double($0.correct) / Double(testImages) }
        self.init(point: point, accuracies: accuracies, statistics: TrialStatistics(accuracies),
                  adcClips: ordered.reduce(into: ClipCounts()) { $0 += $1.adcClips },
                  dacClips: ordered.reduce(into: ClipCounts()) { $0 += $1.dacClips },
                  distortion: LayerDistortionSummary.average(ordered.map(\.distortion)),
                  adaptiveStop: nil, records: ordered)
    }
}
