import Accelerator
import DeviceModel
import Testing

@Suite struct IdealModeTests {
    @Test func idealMatchesFloatOnAllTestImages() throws {
        let network = Fixtures.mnistNetwork
        let images = Fixtures.mnistTestSet
        #expect(images.count == 10_000)
        let scales = Calibration.inputFullScale(network, images: images.prefix(500))
        let programmed = ProgrammedNetwork.program(network, settings: try Fixtures.idealSettings(),
                                                   inputFullScale: scales, generator: try RandomGenerator(seed: 1))
        let analog = Activations(batch: images.count, shape: [10],
                                 values: Fixtures.logits(network, images, engine: AnalogEngine(programmed: programmed)))
        let float = Activations(batch: images.count, shape: [10],
                                values: Fixtures.logits(network, images, engine: FloatEngine()))
        let mismatches = zip(analog.argmax(), float.argmax()).filter { $0 != $1 }.count
        #expect(mismatches == 0)
    }

    /// Tolerance: |emulated - reference| <= 1e-4 * max(1, |reference|) for every logit.
    @Test func idealLogitsMatchOnnxruntime() throws {
        let network = Fixtures.mnistNetwork
        let reference = try Fixtures.referenceLogits("models/mnist-mlp.logits.csv")
        #expect(reference.count == 100)
        let images = Fixtures.mnistTestSet.prefix(100)
        let scales = Calibration.inputFullScale(network, images: Fixtures.mnistTestSet.prefix(500))
        let programmed = ProgrammedNetwork.program(network, settings: try Fixtures.idealSettings(),
                                                   inputFullScale: scales, generator: try RandomGenerator(seed: 1))
        let logits = Fixtures.logits(network, images, engine: AnalogEngine(programmed: programmed))
        var worst: Float = 0
        for (i, row) in reference.enumerated() {
            #expect(row.label == images.labels[i])
            for (j, expected) in row.logits.enumerated() {
                worst = max(worst, abs(logits[i * 10 + j] - expected) / max(1, abs(expected)))
            }
        }
        #expect(worst <= 1e-4, "largest relative logit error \(worst)")
    }

    @Test func smallTilesEqualOneLargeTile() throws {
        let network = Fixtures.mnistNetwork
        let images = Fixtures.mnistTestSet.prefix(500)
        let scales = Calibration.inputFullScale(network, images: images)
        func logits(_ tile: TileShape) throws -> [Float] {
            let programmed = ProgrammedNetwork.program(network, settings: try Fixtures.idealSettings(tile: tile),
                                                       inputFullScale: scales, generator: try RandomGenerator(seed: 1))
            return Fixtures.logits(network, images, engine: AnalogEngine(programmed: programmed))
        }
        let small = try logits(TileShape(rows: 32, columns: 32))
        let large = try logits(TileShape(rows: 1024, columns: 1024))
        let worst = zip(small, large).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst < 1e-5, "largest relative difference \(worst)")
    }

    @Test func mappingCountsTiles() {
        let mapping = TileScheduler.map(Fixtures.mnistNetwork, tile: TileShape(rows: 128, columns: 128))
        #expect(mapping.map(\.tileCount) == [7 * 2, 2 * 1, 1 * 1])
        #expect(abs(mapping[0].utilization - 784.0 * 256 / (14 * 128 * 128)) < 1e-12)
    }
}
