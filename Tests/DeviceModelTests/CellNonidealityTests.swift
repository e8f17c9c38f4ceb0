import DeviceModel
import Foundation
import Testing

@Suite struct LevelPlacementTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    @Test func resistanceSpacingHasEqualOhmSteps() throws {
        let levels = try ConductanceLevels(window: window, count: .quantized(4), spacing: .resistance)
        let ohms = levels.values.map { 1 / $0 }
        // Roff = 100 kohm down to Ron = 10 kohm in steps of 30 kohm.
        for (k, expected) in [100_000.0, 70_000, 40_000, 10_000].enumerated() {
            #expect(abs(ohms[k] - expected) < 1e-6, "level \(k): \(ohms[k]) ohm")
        }
    }

    @Test func resistanceSpacingNeedsPositiveGmin() throws {
        let open = try ConductanceWindow(minimumSiemens: 0, maximumSiemens: 100e-6)
        #expect(throws: DeviceModelError.self) {
            try ConductanceLevels(window: open, count: .quantized(4), spacing: .resistance)
        }
    }

    @Test func measuredLevelsSnapToNearest() throws {
        // Binary fractions of a siemens, so that the midpoint 0.25 S is an exact tie.
        let levels = try ConductanceLevels(measuredSiemens: [0.125, 0.375, 1])
        #expect(levels.window.minimumSiemens == 0.125)
        #expect(levels.window.maximumSiemens == 1)
        #expect(levels.nearest(0.01) == 0.125)
        #expect(levels.nearest(0.2) == 0.125)
        // Ties go up.
        #expect(levels.nearest(0.25) == 0.375)
        #expect(levels.nearest(0.7) == 1)
        #expect(levels.nearest(2) == 1)
    }

    @Test(arguments: [
        [1e-5],              // one level
        [2e-5, 1e-5],        // descending
        [1e-5, 1e-5, 2e-5],  // repeated
        [-1e-6, 1e-5],       // negative
        [1e-5, .nan],        // not a number
    ])
    func invalidMeasuredLevelsRejected(values: [Double]) {
        #expect(throws: DeviceModelError.invalidLevelList(values)) {
            try ConductanceLevels(measuredSiemens: values)
        }
    }
}

@Suite struct CellNonidealityTests {
    let window = try! ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)

    func cells(faults: StuckAtFaults = .none, drift: ConductanceDrift? = nil, readTime: Double = 1,
               sigma: Double = 0.05) throws -> CellProgramming {
        CellProgramming(window: window, variation: try ProgrammingVariation(model: .relative, sigma: sigma, window: window),
                        faults: faults, drift: drift, readTimeSeconds: readTime)
    }

    @Test func stuckAtCountsInsideBinomialInterval() throws {
        let faults = try StuckAtFaults(stuckOffRate: 0.02, stuckOnRate: 0.005)
        let model = try cells(faults: faults)
        let streams = try ProgrammingStreams(programming: try RandomGenerator(seed: 3), trialSeed: 3, cells: model)
        let n = 400_000
        var off = 0
        var on = 0
        for _ in 0..<n {
            let cell = model.program(50e-6, streams: streams)
            switch cell.fault {
            case .stuckOff:
                off += 1
                #expect(cell.siemens == window.minimumSiemens)
            case .stuckOn:
                on += 1
                #expect(cell.siemens == window.maximumSiemens)
            case .none:
                break
            }
        }
        // The binomial 99 % interval, by its normal approximation (n p is in the thousands):
        // n p +- 2.576 sqrt(n p (1 - p)).
        for (count, rate) in [(off, faults.stuckOffRate), (on, faults.stuckOnRate)] {
            let mean = Double(n) * rate
            let halfWidth = 2.576 * (mean * (1 - rate)).squareRoot()
            #expect(abs(Double(count) - mean) <= halfWidth, "\(count) stuck cells, expected \(mean) +- \(halfWidth)")
        }
    }

    @Test func faultsAndDriftKeepVariationDraws() throws {
        let plain = try cells()
        let faulty = try cells(faults: try StuckAtFaults(stuckOffRate: 0.1, stuckOnRate: 0.1),
                               drift: try ConductanceDrift(exponentMean: 0, exponentStandardDeviation: 0,
                                                           referenceTimeSeconds: 1))
        let plainStreams = ProgrammingStreams(programming: try RandomGenerator(seed: 9))
        let faultyStreams = try ProgrammingStreams(programming: try RandomGenerator(seed: 9), trialSeed: 9, cells: faulty)
        var compared = 0
        for _ in 0..<10_000 {
            let expected = plain.program(50e-6, streams: plainStreams)
            let actual = faulty.program(50e-6, streams: faultyStreams)
            // A zero drift exponent leaves the conductance unchanged, so only stuck cells differ.
            if actual.fault == .none {
                #expect(actual.siemens == expected.siemens)
                compared += 1
            }
        }
        #expect(compared > 7_000)
    }

    @Test(arguments: [1.0, 10, 1_000, 100_000])
    func driftMeanFollowsPowerLaw(readTimeSeconds: Double) throws {
        let drift = try ConductanceDrift(exponentMean: 0.05, exponentStandardDeviation: 0.01, referenceTimeSeconds: 1)
        let model = try cells(drift: drift, readTime: readTimeSeconds, sigma: 0)
        let streams = try ProgrammingStreams(programming: try RandomGenerator(seed: 5), trialSeed: 5, cells: model)
        let n = 100_000
        let target = 50e-6
        var sum = 0.0
        for _ in 0..<n { sum += model.program(target, streams: streams).siemens }
        let mean = sum / Double(n)
        let powerLaw = target * pow(readTimeSeconds, -drift.exponentMean)
        #expect(abs(mean / powerLaw - 1) < 0.01, "mean \(mean) S, power law \(powerLaw) S")
        // With nu ~ N(m, s^2), E[r^-nu] = r^-m exp(s^2 ln(r)^2 / 2) for r = t / t0. Clamping nu
        // at 0 changes nothing measurable here, because m is 5 standard deviations above 0.
        let logRatio = log(readTimeSeconds)
        let expected = powerLaw * exp(0.01 * 0.01 * logRatio * logRatio / 2)
        #expect(abs(mean / expected - 1) < 1e-3, "mean \(mean) S, expected \(expected) S")
    }

    @Test func perLevelVariationUsesLevelSigma() throws {
        let levels = try ConductanceLevels(measuredSiemens: [10e-6, 50e-6])
        let variation = try ProgrammingVariation(levels: levels, levelSigmaSiemens: [1e-6, 4e-6], scale: 0.5)
        let generator = try RandomGenerator(seed: 1)
        for (target, sigma) in [(10e-6, 0.5e-6), (50e-6, 2e-6)] {
            let draws = (0..<50_000).map { _ in variation.program(target, using: generator) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let deviation = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)).squareRoot()
            #expect(abs(mean - target) < 5 * sigma / Double(draws.count).squareRoot())
            #expect(abs(deviation / sigma - 1) < 0.02, "standard deviation \(deviation) S, expected \(sigma) S")
        }
    }

    @Test func sigmaTableNeedsOneValuePerLevel() throws {
        let levels = try ConductanceLevels(measuredSiemens: [10e-6, 50e-6])
        #expect(throws: DeviceModelError.invalidLevelSigmaTable(levels: 2, sigmas: [1e-6])) {
            try ProgrammingVariation(levels: levels, levelSigmaSiemens: [1e-6], scale: 1)
        }
    }

    @Test func faultRatesAboveOneRejected() {
        #expect(throws: DeviceModelError.self) { try StuckAtFaults(stuckOffRate: 0.7, stuckOnRate: 0.4) }
        #expect(throws: DeviceModelError.self) { try StuckAtFaults(stuckOffRate: -0.1, stuckOnRate: 0) }
    }
}

@Suite struct MeasurementFitTests {
    @Test func fitsMeansAndDeviations() throws {
        let csv = """
        level,conductance_siemens
        0,1.0e-6
        0,3.0e-6
        1,10e-6
        1,12e-6

        1,14e-6
        """
        let fits = try ConductanceMeasurements(csv: csv).fit()
        #expect(fits.count == 2)
        #expect(abs(fits[0].meanSiemens - 2e-6) < 1e-18)
        #expect(abs(fits[0].standardDeviationSiemens - 2.0.squareRoot() * 1e-6) < 1e-18)
        #expect(abs(fits[1].meanSiemens - 12e-6) < 1e-18)
        #expect(abs(fits[1].standardDeviationSiemens - 2e-6) < 1e-18)
        #expect(fits[1].sampleSize == 3)
    }

    @Test func targetColumnGroupsByConductance() throws {
        let csv = "target_siemens,conductance_siemens\n2e-5,2.1e-5\n1e-5,1.1e-5\n2e-5,1.9e-5\n1e-5,0.9e-5\n"
        let measurements = try ConductanceMeasurements(csv: csv)
        #expect(measurements.targetColumn == .targetSiemens)
        #expect(measurements.targets == [1e-5, 2e-5])
    }

    @Test func badRowsListedWithLineNumbers() throws {
        let csv = """
        level,conductance_siemens
        0,1e-6
        0,abc
        1,-2e-6
        1,2e-6,3
        x,1e-6
        1.5,1e-6
        1,nan
        1,3e-6
        """
        do {
            _ = try ConductanceMeasurements(csv: csv)
            Issue.record("bad rows were accepted")
        } catch let error {
            guard case .invalidRows(let rows) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(rows.map(\.line) == [3, 4, 5, 6, 7, 8])
            #expect(rows[0].reason.contains("'abc' is not a finite number"))
            #expect(rows[1].reason.contains("negative"))
            #expect(rows[2].reason.contains("3 columns"))
            #expect(rows[4].reason.contains("not an integer"))
            #expect(error.description.contains("line 8: conductance_siemens 'nan'"))
        }
    }

    @Test func unknownHeaderRejected() {
        #expect(throws: MeasurementError.invalidHeader("level,conductance_uS")) {
            try ConductanceMeasurements(csv: "level,conductance_uS\n0,1\n")
        }
    }

    @Test func levelWithOneMeasurementRejected() {
        #expect(throws: MeasurementError.tooFewMeasurements(target: 1, count: 1)) {
            try ConductanceMeasurements(csv: "level,conductance_siemens\n0,1e-6\n0,2e-6\n1,3e-6\n")
        }
    }

    @Test func normalSampleHasSmallKSStatistic() throws {
        let generator = try RandomGenerator(seed: 2)
        let values = (0..<5_000).map { _ in 20e-6 + 1e-6 * generator.standardNormal() }
        let fit = LevelFit(target: 0, siemens: values)
        #expect(fit.kolmogorovSmirnov < fit.kolmogorovSmirnovCritical)
        // A uniform sample of the same size is far from normal.
        let uniform = LevelFit(target: 0, siemens: (0..<5_000).map { _ in generator.uniform() })
        #expect(uniform.kolmogorovSmirnov > uniform.kolmogorovSmirnovCritical)
    }
}
