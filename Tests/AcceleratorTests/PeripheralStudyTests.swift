import Accelerator
import DeviceModel
import Peripherals
import Testing

@Suite struct PeripheralStudyTests {
    let images = Fixtures.mnistTestSet.prefix(300)

    func study(trials: Int = 3) -> MonteCarloStudy {
        var study = MonteCarloStudy(network: Fixtures.mnistNetwork, testSet: images,
                                    inputFullScale: Calibration.inputFullScale(Fixtures.mnistNetwork, images: images),
                                    trials: trials, seed: 5, batchSize: 100, threads: 2,
                                    calibrationImages: Fixtures.mnistTestSet.prefix(1_000))
        study.distortionImages = 100
        return study
    }

    @Test func bitSerialEqualsParallelWithIdealADC() throws {
        var settings = try Fixtures.idealSettings()
        settings.dac = DAC(resolution: .bits(6), readVoltageVolts: 0.2)
        let parallel = ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings,
                                                 inputFullScale: study().inputFullScale, generator: try RandomGenerator(seed: 1))
        settings.dac = DAC(resolution: .bits(6), readVoltageVolts: 0.2, scheme: .bitSerial)
        let serial = ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings,
                                               inputFullScale: study().inputFullScale, generator: try RandomGenerator(seed: 1))
        let a = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: parallel))
        let b = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: serial))
        // Five weighted cycles sum in another order than one product: equal up to float32 rounding.
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? .infinity
        #expect(worst < 1e-5, "largest relative difference \(worst)")
    }

    @Test func idealPeripheralsGiveInfiniteSQNR() throws {
        let point = GridPoint(index: 0, levels: .unquantized, variation: 0, dynamicRange: 10)
        let result = try study().runPoint(point, settings: try Fixtures.idealSettings())
        #expect(result.distortion.count == 3)
        for layer in result.distortion {
            #expect(layer.signalToNoiseDecibels == .infinity, "\(layer.layer): \(layer.normalizedMeanSquareError)")
        }
    }

    @Test func sqnrFallsAsVariationRises() throws {
        var previous = [Double](repeating: .infinity, count: 3)
        for (index, sigma) in [0.01, 0.05, 0.2].enumerated() {
            let point = GridPoint(index: index, levels: .unquantized, variation: sigma, dynamicRange: 10)
            var settings = try Fixtures.idealSettings()
            settings.variation = try ProgrammingVariation(model: .relative, sigma: sigma, window: settings.window)
            let sqnr = try study().runPoint(point, settings: settings).distortion.map(\.signalToNoiseDecibels)
            for layer in 0..<3 {
                #expect(sqnr[layer] < previous[layer], "layer \(layer) at sigma \(sigma): \(sqnr[layer]) dB")
            }
            previous = sqnr
        }
    }

    @Test func calibratedRangeBeatsWorstCase() throws {
        var settings = try Fixtures.idealSettings()
        settings.adc = ADC(resolution: .bits(6))
        let point = GridPoint(index: 0, levels: .unquantized, variation: 0, dynamicRange: 10)
        let worst = try study().runPoint(point, settings: settings)
        let worstCaseSettings = settings
        settings.adcRange = .calibrated(percentile: 99.9)
        let calibrated = try study().calibrated(settings)
        #expect(calibrated.calibratedFullScaleAmperes.count == 3)
        for (index, amperes) in calibrated.calibratedFullScaleAmperes {
            let rows = min(128, Fixtures.mnistNetwork.operations[index].weightMatrix!.rows)
            #expect(amperes > 0)
            #expect(amperes < worstCaseSettings.adcFullScaleAmperes(rowsUsed: rows, operationIndex: index))
        }
        let better = try study().runPoint(point, settings: settings)
        #expect(better.accuracies[0] > worst.accuracies[0] + 0.05,
                "calibrated \(better.accuracies[0]) against worst case \(worst.accuracies[0])")
        #expect(better.adcClips.high + better.adcClips.low > 0)
        #expect(worst.adcClips.high + worst.adcClips.low == 0)
    }

    @Test func perArrayConversionMatchesDifferentialWhenIdeal() throws {
        var settings = try Fixtures.idealSettings()
        let differential = ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings,
                                                     inputFullScale: study().inputFullScale, generator: try RandomGenerator(seed: 1))
        settings.adcConversion = .perArray
        let perArray = ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings,
                                                 inputFullScale: study().inputFullScale, generator: try RandomGenerator(seed: 1))
        let a = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: differential))
        let b = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: perArray))
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest relative difference \(worst)")
    }
}
