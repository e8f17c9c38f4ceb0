import Accelerator
import DeviceModel
import Foundation
import ModelImport
import Peripherals
import Testing

/// The bundled CIFAR-10 CNN on the bundled first 1,000 test images.
enum CIFARFixtures {
    static let config: DatasetConfig = {
        let json = """
        {"format": "cifar10", "testImages": "data/cifar10/test_batch_first1000.bin",
         "mean": [0.4914, 0.4822, 0.4465], "std": [0.2470, 0.2435, 0.2616]}
        """
        return try! JSONDecoder().decode(DatasetConfig.self, from: Data(json.utf8))
    }()

    static let images: Dataset = try! DatasetLoader.load(format: .cifar10, images: config.testImages, labels: nil,
                                                        config: config, base: Fixtures.root, limit: nil)

    static let network: Network = try! ModelLoader.load(Fixtures.url("models/cifar10-cnn.onnx"))
}

@Suite struct CIFARModelTests {
    /// Every bundled image: the emulated argmax equals onnxruntime's, and every logit is within
    /// 1e-4 * max(1, |reference|) of onnxruntime's.
    @Test func idealModeMatchesOnnxruntime() throws {
        let network = CIFARFixtures.network
        let images = CIFARFixtures.images
        let reference = try Fixtures.referenceLogits("models/cifar10-cnn.logits.csv")
        #expect(reference.count == images.count)
        let scales = Calibration.inputFullScale(network, images: images.prefix(200))
        let programmed = ProgrammedNetwork.program(network, settings: try Fixtures.idealSettings(),
                                                   inputFullScale: scales, generator: try RandomGenerator(seed: 1))
        let logits = Fixtures.logits(network, images, engine: AnalogEngine(programmed: programmed))
        let predictions = Activations(batch: images.count, shape: [10], values: logits).argmax()
        var mismatches = 0
        var worst: Float = 0
        for (i, row) in reference.enumerated() {
            #expect(row.label == images.labels[i])
            let expected = row.logits.indices.max { row.logits[$0] < row.logits[$1] }!
            if predictions[i] != expected { mismatches += 1 }
            for (j, value) in row.logits.enumerated() {
                worst = max(worst, abs(logits[i * 10 + j] - value) / max(1, abs(value)))
            }
        }
        #expect(mismatches == 0)
        #expect(worst <= 1e-4, "largest relative logit error \(worst)")
    }

    @Test func batchNormalizationIsFoldedWithoutChangingLogits() throws {
        let folded = CIFARFixtures.network
        let unfolded = try ModelLoader.load(Fixtures.url("models/cifar10-cnn.onnx"), foldBatchNormalization: false)
        let mapping = TileScheduler.map(folded, tile: TileShape(rows: 128, columns: 128))
        let foldedLayers = mapping.compactMap(\.foldedBatchNormalization)
        #expect(foldedLayers.count == mapping.filter { $0.kind == "conv" }.count)
        let digitalNorms = unfolded.operations.filter { if case .batchNormalization = $0 { true } else { false } }
        #expect(digitalNorms.count == foldedLayers.count)
        #expect(!folded.operations.contains { if case .batchNormalization = $0 { true } else { false } })
        let images = CIFARFixtures.images.prefix(100)
        let a = Fixtures.logits(folded, images, engine: FloatEngine())
        let b = Fixtures.logits(unfolded, images, engine: FloatEngine())
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
        #expect(worst < 1e-5, "folding changed logits by \(worst)")
    }

    /// Convolutions convert their input through the DAC before im2col, cycle by cycle: the
    /// weighted bit-serial cycles must add up to the parallel DAC's result.
    @Test func bitSerialConvolutionsEqualParallel() throws {
        let network = CIFARFixtures.network
        let images = CIFARFixtures.images.prefix(20)
        let scales = Calibration.inputFullScale(network, images: CIFARFixtures.images.prefix(100))
        var settings = try Fixtures.idealSettings()
        var logits: [[Float]] = []
        for scheme in [DACScheme.parallel, .bitSerial] {
            settings.dac = DAC(resolution: .bits(6), readVoltageVolts: 0.2, scheme: scheme)
            let programmed = ProgrammedNetwork.program(network, settings: settings, inputFullScale: scales,
                                                       generator: try RandomGenerator(seed: 2))
            logits.append(Fixtures.logits(network, images, engine: AnalogEngine(programmed: programmed)))
        }
        let worst = zip(logits[0], logits[1]).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest relative difference \(worst)")
        let float = Fixtures.logits(network, images, engine: FloatEngine())
        let quantization = zip(logits[0], float).map { abs($0 - $1) }.max() ?? 0
        #expect(quantization > 1e-3, "a 6-bit DAC left the logits unchanged")
    }
}
