import Accelerator
import DeviceModel
import Peripherals
import Testing

@Suite struct DeviceNoiseStudyTests {
    let base = MonteCarloTests()
    let images = Fixtures.mnistTestSet.prefix(200)

    func settings(readNoise: Double, faults: StuckAtFaults = .none) throws -> AnalogSettings {
        let point = GridPoint(index: 0, levels: .quantized(16), variation: 0.05, dynamicRange: 10)
        var settings = try base.settings(point)
        settings.readNoise = readNoise
        settings.faults = faults
        return settings
    }

    /// Two inferences of the same images on one programmed network.
    func twoInferences(_ settings: AnalogSettings) throws -> ([Float], [Float]) {
        let scale = Calibration.inputFullScale(Fixtures.mnistNetwork, images: images)
        let programmed = ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings, inputFullScale: scale,
                                                   generator: try RandomGenerator(seed: 3))
        let engine = AnalogEngine(programmed: programmed, readNoiseGenerator: try RandomGenerator(seed: 4))
        return (Fixtures.logits(Fixtures.mnistNetwork, images, engine: engine),
                Fixtures.logits(Fixtures.mnistNetwork, images, engine: engine))
    }

    @Test func readNoiseChangesBetweenInferences() throws {
        let (first, second) = try twoInferences(try settings(readNoise: 0.02))
        #expect(first != second)
        let (still, again) = try twoInferences(try settings(readNoise: 0))
        // Programming variation is drawn once, so without read noise the same tiles give the same outputs.
        #expect(still == again)
        // Read noise is small: the noisy logits stay close to the noise-free ones.
        let worst = zip(first, still).map { abs($0 - $1) }.max() ?? .infinity
        let largest = still.map(abs).max() ?? 0
        #expect(worst < 0.2 * largest, "largest change \(worst) for logits up to \(largest)")
    }

    @Test func noisyTrialsIndependentOfThreads() throws {
        let faults = try StuckAtFaults(stuckOffRate: 0.01, stuckOnRate: 0.01)
        let point = GridPoint(index: 2, levels: .quantized(16), variation: 0, dynamicRange: 10, hasDeviceNoise: true)
        var settings = try settings(readNoise: 0.02, faults: faults)
        settings.variation = try ProgrammingVariation(model: .relative, sigma: 0, window: settings.window)
        let one = try base.study(seed: 11, threads: 1, trials: 3).runPoint(point, settings: settings)
        let two = try base.study(seed: 11, threads: 2, trials: 3).runPoint(point, settings: settings)
        let batches = try base.study(seed: 11, threads: 5, trials: 3).runPoint(point, settings: settings)
        // Zero variation with device noise still runs every trial.
        #expect(one.accuracies.count == 3)
        #expect(one.accuracies == two.accuracies)
        #expect(one.accuracies == batches.accuracies)
        #expect(one.records.map(\.stuckOffCells) == two.records.map(\.stuckOffCells))
        #expect(one.records.allSatisfy { ($0.stuckOffCells ?? 0) > 0 })
        #expect(one.records.allSatisfy { ($0.stuckOnCells ?? 0) > 0 })
    }
}
