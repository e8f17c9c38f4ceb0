import Accelerator
import DeviceModel
import Foundation
import ModelImport
import Peripherals

/// The repository's bundled model and data, located from this file's path.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static let mnistConfig: DatasetConfig = {
        let json = """
        {"format": "idx", "testImages": "data/mnist/t10k-images-idx3-ubyte.gz",
         "testLabels": "data/mnist/t10k-labels-idx1-ubyte.gz", "mean": [0.1307], "std": [0.3081]}
        """
        return try! JSONDecoder().decode(DatasetConfig.self, from: Data(json.utf8))
    }()

    static let mnistNetwork: Network = try! ModelLoader.load(url("models/mnist-mlp.onnx"))

    static let mnistTestSet: Dataset = try! DatasetLoader.load(
        format: .idx, images: mnistConfig.testImages, labels: mnistConfig.testLabels,
        config: mnistConfig, base: root, limit: nil)

    /// Ideal hardware: unquantized cells, no variation, ideal converters.
    static func idealSettings(tile: TileShape = TileShape(rows: 128, columns: 128)) throws -> AnalogSettings {
        let window = try ConductanceWindow(minimumSiemens: 10e-6, maximumSiemens: 100e-6)
        return AnalogSettings(window: window, levels: try ConductanceLevels(window: window, count: .unquantized),
                              variation: try ProgrammingVariation(model: .relative, sigma: 0, window: window),
                              tile: tile, dac: DAC(resolution: .ideal, readVoltageVolts: 0.2),
                              adc: ADC(resolution: .ideal), adcRange: .worstCase)
    }

    /// Reference logits written by onnxruntime: (label, logits) per row.
    static func referenceLogits(_ path: String) throws -> [(label: Int, logits: [Float])] {
        let text = try String(contentsOf: url(path), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",")
            return (Int(fields[1])!, fields[2...].map { Float(String($0))! })
        }
    }

    /// Runs the network on `images` through `engine` in batches of 500.
    static func logits(_ network: Network, _ images: Dataset, engine: some MatrixEngine) -> [Float] {
        images.batchRanges(batchSize: 500).flatMap { network.forward(images.batch($0), engine: engine).values }
    }
}
