import Accelerator
import Crossbar
import DeviceModel
import Foundation
import Testing

@Suite struct WireResistanceStudyTests {
    let images = Fixtures.mnistTestSet.prefix(200)

    func config(_ extra: String, array: String = "") throws -> StudyConfig {
        let json = """
        {"name": "w", "model": "m.onnx",
         "dataset": {"format": "idx", "testImages": "i", "testLabels": "l", "mean": [0.1], "std": [0.3]},
         "device": {"gmaxSiemens": 1e-4},
         "array": {"tileRows": 64, "tileColumns": 64\(array)},
         "grid": {"levels": [64], "variation": [0], "dynamicRange": [10]\(extra)}}
        """
        return try StudyConfig.decode(Data(json.utf8))
    }

    func programmed(_ wires: WireResistance, tile: Int) throws -> ProgrammedNetwork {
        var settings = try Fixtures.idealSettings(tile: TileShape(rows: tile, columns: tile))
        settings.wires = wires
        return ProgrammedNetwork.program(Fixtures.mnistNetwork, settings: settings,
                                         inputFullScale: Calibration.inputFullScale(Fixtures.mnistNetwork, images: images),
                                         generator: try RandomGenerator(seed: 3))
    }

    /// Returns the SQNR in dB of the network's logits against the float logits.
    func logitSQNR(_ programmed: ProgrammedNetwork) -> Double {
        let reference = Fixtures.logits(Fixtures.mnistNetwork, images, engine: FloatEngine())
        let analog = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: programmed))
        let signal = reference.reduce(0.0) { $0 + Double($1) * Double($1) }
        let noise = zip(reference, analog).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        return 10 * log10(signal / noise)
    }

    @Test func wireAxisSetsBothSegments() throws {
        let study = try config(", \"wireSegmentOhms\": [0, 1.5]", array: ", \"driverOhms\": 20, \"senseOhms\": 5")
        #expect(study.points.count == 2)
        #expect(study.points.map(\.wires) == [
            WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 0, driverOhms: 20, senseOhms: 5),
            WireResistance(wordLineSegmentOhms: 1.5, bitLineSegmentOhms: 1.5, driverOhms: 20, senseOhms: 5),
        ])
        #expect(try study.settings(for: study.points[1]).wires.bitLineSegmentOhms == 1.5)
        #expect(try config("").points.map(\.wires) == [.ideal])
    }

    @Test func negativeResistanceNamesKey() {
        for (extra, array, key) in [(", \"wireSegmentOhms\": [1, -2]", "", "grid.wireSegmentOhms[1]"),
                                    ("", ", \"senseOhms\": -1", "array.senseOhms"),
                                    (", \"wireSegmentOhms\": []", "", "grid.wireSegmentOhms")] {
            do {
                _ = try config(extra, array: array)
                Issue.record("\(key) was accepted")
            } catch let error as ConfigError {
                #expect(error.key == key)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func zeroResistanceIsTheIdealCrossbar() throws {
        let ideal = try programmed(.ideal, tile: 64)
        let zero = try programmed(WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 0), tile: 64)
        #expect(zero.layers.values.allSatisfy { $0.farCornerErrors.isEmpty })
        let a = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: ideal))
        let b = Fixtures.logits(Fixtures.mnistNetwork, images, engine: AnalogEngine(programmed: zero))
        #expect(a == b)
    }

    @Test func trialsRecordProgrammedFarCornerError() throws {
        var study = MonteCarloStudy(network: Fixtures.mnistNetwork, testSet: images.prefix(50),
                                    inputFullScale: Calibration.inputFullScale(Fixtures.mnistNetwork, images: images),
                                    trials: 2, seed: 4, batchSize: 50, threads: 2)
        study.distortionImages = 0
        var settings = try Fixtures.idealSettings(tile: TileShape(rows: 64, columns: 64))
        settings.variation = try ProgrammingVariation(model: .relative, sigma: 0.05, window: settings.window)
        let point = GridPoint(index: 0, levels: .unquantized, variation: 0.05, dynamicRange: 10)
        #expect(try study.runPoint(point, settings: settings).records.allSatisfy { $0.farCornerErrorMax == nil })
        settings.wires = WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1)
        let errors = try study.runPoint(point, settings: settings).records.map(\.farCornerErrorMax)
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { ($0 ?? 0) > 0 }, "\(errors)")
        #expect(errors.allSatisfy { ($0 ?? 1) < 1 }, "\(errors)")
        // Each trial draws its own variation, so the programmed tiles differ.
        #expect(errors[0] != errors[1])
    }

    @Test func largerTilesLoseMoreToIRDrop() throws {
        let wires = WireResistance(wordLineSegmentOhms: 1, bitLineSegmentOhms: 1)
        let small = try programmed(wires, tile: 64)
        let large = try programmed(wires, tile: 128)
        for network in [small, large] {
            for layer in network.layers.values {
                #expect(layer.farCornerErrors.count == layer.tiles.count)
                #expect(layer.farCornerErrors.allSatisfy { $0 > 0 })
                #expect(layer.farCornerErrors.allSatisfy { $0 < 1 })
            }
        }
        let worst = { (n: ProgrammedNetwork) in n.layers.values.flatMap(\.farCornerErrors).max()! }
        #expect(worst(small) < worst(large))
        let idealSQNR = logitSQNR(try programmed(.ideal, tile: 64))
        let smallSQNR = logitSQNR(small), largeSQNR = logitSQNR(large)
        #expect(smallSQNR < idealSQNR)
        #expect(largeSQNR < smallSQNR - 3, "SQNR 64x64: \(smallSQNR) dB, 128x128: \(largeSQNR) dB")
    }
}
