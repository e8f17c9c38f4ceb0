import Accelerator
import Crossbar
import DeviceModel
import Foundation
import Peripherals

extension BenchCommand {
    /// Seconds per trial measured for a workload, by thread count.
    typealias TrialSeconds = [Int: Double]

    static func bench(_ workload: Workload, threads: Int, trials: Int, readNoise: Double, machine: MachineRate) throws -> TrialSeconds {
        let configURL = URL(fileURLWithPath: workload.config)
        let config = try StudyLoader.readConfig(configURL)
        let inputs = try StudyLoader.load(config, configURL: configURL, dataDirectory: nil, limit: workload.images, log: { _ in })
        let point = GridPoint(index: 0, levels: .quantized(64), variation: 0.05, dynamicRange: 10)
        var settings = try config.settings(for: point)
        settings.dac = DAC(resolution: .bits(8), readVoltageVolts: settings.readVoltageVolts)
        settings.adc = ADC(resolution: .bits(8))
        settings.adcRange = .calibrated(percentile: 99.99)
        settings.readNoise = readNoise
        let macsPerImage = TileScheduler.map(inputs.network, tile: settings.tile)
            .reduce(0) { $0 + $1.matrixRows * $1.matrixColumns * $1.activationsPerInference }
        let images = inputs.testSet.count

        // Per-layer distortion is left out: it is an optional measurement, not part of a trial.
        func study(_ threadCount: Int) -> MonteCarloStudy {
            var study = MonteCarloStudy(network: inputs.network, testSet: inputs.testSet, inputFullScale: inputs.inputFullScale,
                                        trials: trials, seed: 1, batchSize: config.batchSize, threads: threadCount,
                                        calibrationImages: inputs.calibrationSet)
            study.distortionImages = 0
            return study
        }
        // The ADC ranges are calibrated once, before the timed trials.
        settings = try study(1).calibrated(settings)
        let floatSeconds = time { _ = study(1).floatAccuracy() }
        var single: PointResult?
        let singleSeconds = try time { single = try study(1).runPoint(point, settings: settings) }
        var parallel: PointResult?
        let parallelSeconds = try time { parallel = try study(threads).runPoint(point, settings: settings) }

        let trialSeconds = singleSeconds / Double(trials)
        let gflops = 2 * Double(macsPerImage) * Double(images) / trialSeconds / 1e9
        print("\n\(workload.name): \(images) images, \(macsPerImage) MAC per image, \(settings.tile) tiles, 64 levels, 5 % variation, 8-bit DAC and ADC"
              + (readNoise > 0 ? String(format: ", %g %% read noise", readNoise * 100) : ""))
        print(String(format: "  float forward pass (1 thread):   %.3f s", floatSeconds))
        print(String(format: "  trial (1 thread):                %.3f s = %.2f x the float pass", trialSeconds, trialSeconds / floatSeconds))
        print(String(format: "  effective rate (1 thread):       %.1f GFLOP/s = %.0f %% of sgemm on 1 thread", gflops, gflops / machine.singleThread * 100))
        let ceiling = MachineRate.tileProductRate(TileScheduler.map(inputs.network, tile: settings.tile), batchSize: config.batchSize)
        print(String(format: "  sgemm on these tile products:    %.1f GFLOP/s = %.0f %% of sgemm 1024^3 (an estimate of this network's ceiling)",
                     ceiling, ceiling / machine.singleThread * 100))
        print(String(format: "  throughput, 1 thread:            %.2f trials/s, %.0f images/s", Double(trials) / singleSeconds, Double(trials * images) / singleSeconds))
        print(String(format: "  throughput, %d threads:           %.2f trials/s, %.0f images/s (%.2f x 1 thread)", threads,
                     Double(trials) / parallelSeconds, Double(trials * images) / parallelSeconds, singleSeconds / parallelSeconds))
        print("  results with 1 and \(threads) threads identical: \(single?.accuracies == parallel?.accuracies ? "yes" : "NO")")
        print(String(format: "  mean accuracy: %.2f %%", (single?.statistics.mean ?? 0) * 100))
        if workload.name == "mnist" {
            // Two trials are enough to time, because the tile solves dominate and vary little.
            var wired = settings
            wired.wires = irDropWires
            let irDropSeconds = try time { _ = try study(1).runTrials([0, 1], of: point, settings: wired) } / 2
            print(String(format: "  trial with IR drop (1 thread):   %.3f s = %.2f x a trial without (%@ ohms)", irDropSeconds,
                         irDropSeconds / trialSeconds, FarCornerReport.wiresText(irDropWires)))
        }
        var seconds: TrialSeconds = [1: trialSeconds]
        seconds[threads] = parallelSeconds / Double(trials)
        return seconds
    }

    /// The wires of the IR-drop trial: 1 ohm segments, ideal drivers and sense amplifiers.
    static let irDropWires = WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1)

    /// Returns the shortest of `repetitions` timed runs of `body`, in seconds.
    static func bestSeconds(of repetitions: Int, _ body: () -> Void) -> Double {
        (0..<repetitions).map { _ in time(body) }.min() ?? .infinity
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// The machine's own sgemm rate, the ceiling for any GEMM-backed emulator.
struct MachineRate {
    var singleThread: Double
    var allThreads: Double

    static func measure(threads: Int) -> MachineRate {
        let single = sgemmRate(blasThreads: 1)
        let all = sgemmRate(blasThreads: threads)
        BLAS.setThreadCount(1)
        return MachineRate(singleThread: single, allThreads: all)
    }

    /// GFLOP/s of a 1024 x 1024 x 1024 sgemm, best of five after a warm-up.
    static func sgemmRate(blasThreads: Int) -> Double {
        BLAS.setThreadCount(blasThreads)
        let n = 1024
        let a = [Float](repeating: 0.5, count: n * n)
        let b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let best = BenchCommand.bestSeconds(of: 6) {
            BLAS.sgemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: &c, ldc: n)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Measures the GFLOP/s of sgemm alone on the products that one batch of `batchSize`
    /// images makes with `mappings`, one product per tile. The products have the layout
    /// and size the emulator uses: im2col patches transposed and a few images at a time for
    /// convolutions, in row blocks for OpenBLAS's small kernels. The result estimates the
    /// ceiling of any GEMM-backed trial of that network on these tiles.
    static func tileProductRate(_ mappings: [LayerMapping], batchSize: Int) -> Double {
        var flops = 0.0
        var seconds = 0.0
        for m in mappings {
            let transposed = m.activationsPerInference > 1
            let images = transposed
                ? min(batchSize, ConvolutionGeometry.samplesPerUnfold(outputPixels: m.activationsPerInference,
                                                                     patchSize: m.matrixRows))
                : batchSize
            let rowCount = images * m.activationsPerInference
            let k = min(m.tile.rows, m.matrixRows), n = min(m.tile.columns, m.matrixColumns)
            let a = [Float](repeating: 0.5, count: rowCount * k)
            let b = [Float](repeating: 0.25, count: k * n)
            var c = [Float](repeating: 0, count: rowCount * n)
            let best = BenchCommand.bestSeconds(of: 3) {
                BLAS.sgemmInRowBlocks(m: rowCount, n: n, k: k, a: a, lda: transposed ? rowCount : k,
                                      transposeA: transposed, b: b, ldb: n, c: &c, ldc: n)
            }
            // Partial edge tiles are timed as full tiles, so the rate is an estimate.
            flops += 2 * Double(rowCount * k * n) * Double(m.tileCount)
            seconds += best * Double(m.tileCount)
        }
        return flops / seconds / 1e9
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
