import Accelerator
import DeviceModel
import Peripherals
import Testing

@Suite struct MonteCarloTests {
    func study(seed: UInt64, threads: Int, trials: Int) -> MonteCarloStudy {
        let images = Fixtures.mnistTestSet.prefix(600)
        return MonteCarloStudy(network: Fixtures.mnistNetwork, testSet: images,
                               inputFullScale: Calibration.inputFullScale(Fixtures.mnistNetwork, images: images),
                               trials: trials, seed: seed, batchSize: 200, threads: threads)
    }

    func settings(_ point: GridPoint) throws -> AnalogSettings {
        var settings = try Fixtures.idealSettings()
        settings.window = try ConductanceWindow(maximumSiemens: 100e-6, dynamicRange: point.dynamicRange)
        settings.levels = try ConductanceLevels(window: settings.window, count: point.levels)
        settings.variation = try ProgrammingVariation(model: .absolute, sigma: point.variation, window: settings.window)
        settings.dac = DAC(resolution: .bits(6), readVoltageVolts: 0.2)
        settings.adc = ADC(resolution: .ideal)
        return settings
    }

    let point = GridPoint(index: 3, levels: .quantized(8), variation: 0.1, dynamicRange: 10)

    @Test func resultsIndependentOfThreads() throws {
        let one = try study(seed: 11, threads: 1, trials: 4).runPoint(point, settings: try settings(point))
        let two = try study(seed: 11, threads: 2, trials: 4).runPoint(point, settings: try settings(point))
        #expect(one.accuracies == two.accuracies)
        #expect(one.adcClips == two.adcClips)
        // Four trials on five workers take the path that splits image batches instead.
        let batchSplit = try study(seed: 11, threads: 5, trials: 4).runPoint(point, settings: try settings(point))
        #expect(batchSplit.accuracies == one.accuracies)
    }

    @Test func otherSeedChangesTrials() throws {
        let first = try study(seed: 11, threads: 2, trials: 4).runPoint(point, settings: try settings(point))
        let second = try study(seed: 12, threads: 2, trials: 4).runPoint(point, settings: try settings(point))
        #expect(first.accuracies != second.accuracies)
        #expect(Set(first.accuracies).count > 1, "trials of one point should differ: \(first.accuracies)")
    }

    @Test func zeroVariationRunsOneTrial() throws {
        let exact = GridPoint(index: 0, levels: .unquantized, variation: 0, dynamicRange: 10)
        let result = try study(seed: 1, threads: 2, trials: 5).runPoint(exact, settings: try settings(exact))
        #expect(result.accuracies.count == 1)
        #expect(result.statistics.confidenceHalfWidth == 0)
    }

    @Test func statisticsOfKnownValues() {
        let s = TrialStatistics([0.90, 0.92, 0.94])
        #expect(abs(s.mean - 0.92) < 1e-12)
        #expect(abs(s.standardDeviation - 0.02) < 1e-12)
        // t(0.975, 2) = 4.302653 from standard tables.
        #expect(abs(s.confidenceHalfWidth - 4.302653 * 0.02 / 3.0.squareRoot()) < 1e-6)
    }
}

@Suite struct AdaptiveTrialTests {
    let base = MonteCarloTests()

    @Test func stopsAtTargetIndependentOfThreads() throws {
        let point = base.point
        var one = base.study(seed: 11, threads: 1, trials: 50)
        one.adaptive = AdaptiveTrials(targetHalfWidth: 0.01, minimum: 3, maximum: 40, step: 2)
        var two = one
        two.threads = 2
        let first = try one.runPoint(point, settings: try base.settings(point))
        let second = try two.runPoint(point, settings: try base.settings(point))
        #expect(first.accuracies == second.accuracies)
        #expect(first.adaptiveStop == .targetReached)
        #expect(first.statistics.confidenceHalfWidth <= 0.01)
        #expect(first.accuracies.count < 40)
        // Trial counts grow from the minimum in steps of 2.
        #expect((first.accuracies.count - 3) % 2 == 0)
    }

    @Test func stopsAtMaximum() throws {
        var study = base.study(seed: 11, threads: 2, trials: 50)
        study.adaptive = AdaptiveTrials(targetHalfWidth: 1e-9, minimum: 2, maximum: 5, step: 2)
        let result = try study.runPoint(base.point, settings: try base.settings(base.point))
        #expect(result.accuracies.count == 5)
        #expect(result.adaptiveStop == .maximumTrials)
    }
}
