import DeviceModel
import Testing

@Suite struct ConductanceLevelsTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    @Test func levelsEvenlySpaced() throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(4))
        #expect(levels.values.count == 4)
        #expect(abs(levels.values[0] - 10e-6) < 1e-15)
        #expect(abs(levels.values[1] - 40e-6) < 1e-15)
        #expect(abs(levels.values[3] - 100e-6) < 1e-15)
    }

    @Test func oneLevelRejected() {
        #expect(throws: DeviceModelError.invalidLevelCount(1)) {
            try ConductanceLevels(window: window, count: .quantized(1))
        }
    }

    @Test func windowRejectsGminAboveGmax() {
        #expect(throws: DeviceModelError.self) {
            try ConductanceWindow(minimumSiemens: 2e-4, maximumSiemens: 1e-4)
        }
    }

    @Test func resistancesGiveConductances() throws {
        let fromOhms = try ConductanceWindow(onResistanceOhms: 10_000, offResistanceOhms: 100_000)
        #expect(abs(fromOhms.maximumSiemens - 1e-4) < 1e-18)
        #expect(abs(fromOhms.minimumSiemens - 1e-5) < 1e-18)
        #expect(abs(fromOhms.dynamicRange - 10) < 1e-12)
    }

    @Test(arguments: [2, 3, 8, 64, 256])
    func snappingLandsOnLevelsWithinHalfStep(count: Int) throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(count))
        let generator = try RandomGenerator(seed: 7)
        let values = levels.values
        for _ in 0..<2_000 {
            let target = window.minimumSiemens + generator.uniform() * window.spanSiemens
            let snapped = levels.nearest(target)
            #expect(values.contains { abs($0 - snapped) < 1e-18 })
            #expect(abs(snapped - target) <= levels.stepSiemens / 2 + 1e-18)
        }
    }
}

@Suite struct DifferentialPairTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    @Test func signedWeightsUseOppositeCells() throws {
        let levels = try ConductanceLevels(window: window, count: .unquantized)
        let mapping = DifferentialPairMapping(levels: levels, weightScale: 2)
        let positive = mapping.targets(for: 1)
        #expect(abs(positive.plusSiemens - 55e-6) < 1e-15)
        #expect(abs(positive.minusSiemens - 10e-6) < 1e-15)
        let negative = mapping.targets(for: -2)
        #expect(abs(negative.plusSiemens - 10e-6) < 1e-15)
        #expect(abs(negative.minusSiemens - 100e-6) < 1e-15)
    }

    @Test func twoLevelsGiveTernaryWeights() throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(2))
        let mapping = DifferentialPairMapping(levels: levels, weightScale: 1)
        for weight: Float in [-1, -0.7, -0.3, 0, 0.2, 0.6, 1] {
            let pair = mapping.targets(for: weight)
            let represented = mapping.weight(plusSiemens: pair.plusSiemens, minusSiemens: pair.minusSiemens)
            #expect([-1.0, 0.0, 1.0].contains { abs($0 - represented) < 1e-9 }, "weight \(weight) became \(represented)")
        }
    }

    @Test(arguments: [4, 16, 64])
    func weightErrorAtMostHalfStep(count: Int) throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(count))
        let mapping = DifferentialPairMapping(levels: levels, weightScale: 0.5)
        let halfStepInWeight = 0.5 / Double(count - 1) / 2
        for i in 0...400 {
            let weight = Float(-0.5 + Double(i) / 400)
            let pair = mapping.targets(for: weight)
            let error = abs(mapping.weight(plusSiemens: pair.plusSiemens, minusSiemens: pair.minusSiemens) - Double(weight))
            #expect(error <= halfStepInWeight + 1e-7, "weight \(weight) has error \(error)")
        }
    }
}

@Suite struct ProgrammingVariationTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    /// Relative standard deviation of 100,000 cells programmed to `target`.
    func relativeDeviation(_ model: VariationModel, sigma: Double, target: Double) throws -> Double {
        let variation = try ProgrammingVariation(model: model, sigma: sigma, window: window)
        let generator = try RandomGenerator(seed: 42)
        let samples = (0..<100_000).map { _ in variation.program(target, using: generator) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
        return variance.squareRoot() / target
    }

    @Test(arguments: [0.01, 0.05, 0.10])
    func relativeSigmaMatches(sigma: Double) throws {
        let measured = try relativeDeviation(.relative, sigma: sigma, target: 50e-6)
        #expect(abs(measured / sigma - 1) < 0.02, "measured \(measured) for sigma \(sigma)")
    }

    @Test(arguments: [0.01, 0.05])
    func lognormalSigmaMatches(sigma: Double) throws {
        let measured = try relativeDeviation(.lognormal, sigma: sigma, target: 50e-6)
        #expect(abs(measured / sigma - 1) < 0.02, "measured \(measured) for sigma \(sigma)")
    }

    @Test func absoluteSigmaScalesWithGmax() throws {
        // sigma * Gmax = 5e-6 S on a 20e-6 S target: a relative deviation of 0.25.
        let measured = try relativeDeviation(.absolute, sigma: 0.05, target: 20e-6)
        #expect(abs(measured / 0.25 - 1) < 0.02, "measured \(measured)")
    }

    @Test func zeroSigmaIsExact() throws {
        let variation = try ProgrammingVariation(model: .relative, sigma: 0, window: window)
        let generator = try RandomGenerator(seed: 1)
        #expect(variation.program(33e-6, using: generator) == 33e-6)
    }

    @Test func negativeSigmaRejected() {
        #expect(throws: DeviceModelError.invalidSigma(-0.1)) {
            try ProgrammingVariation(model: .relative, sigma: -0.1, window: window)
        }
    }
}

@Suite struct RandomStreamTests {
    @Test func sameSeedSameStream() throws {
        let a = try RandomGenerator(seed: SeedSequence.seed(5, 3, 9))
        let b = try RandomGenerator(seed: SeedSequence.seed(5, 3, 9))
        #expect((0..<10).map { _ in a.standardNormal() } == (0..<10).map { _ in b.standardNormal() })
    }

    @Test func coordinatesChangeStream() throws {
        let a = try RandomGenerator(seed: SeedSequence.seed(5, 3, 9))
        let b = try RandomGenerator(seed: SeedSequence.seed(5, 9, 3))
        #expect(a.standardNormal() != b.standardNormal())
    }

    @Test func studentQuantileKnownValue() throws {
        // t(0.975, 9) = 2.262157 from standard tables.
        #expect(abs(try StudentT.quantile(probability: 0.975, degreesOfFreedom: 9) - 2.262157) < 1e-5)
    }
}
