import Accelerator
import Foundation
import ModelImport

/// The network, data and calibration a study needs, loaded and checked before any work.
struct StudyInputs {
    var network: Network
    var testSet: Dataset
    var calibrationSet: Dataset
    var inputFullScale: [Int: Float]
}

enum StudyLoader {
    /// Reads and validates a config; errors name the file and the key. A device preset
    /// NAME is read from `devices/NAME.json` in the config's folder, so configs in
    /// `configs/` use `configs/devices/`.
    static func readConfig(_ url: URL) throws -> StudyConfig {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UsageError(description: "config \(url.path) not found; give the path of a study config such as configs/mnist-mlp.json")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UsageError(description: "cannot read config \(url.path) (\(error.localizedDescription)); check that it is a readable file")
        }
        do {
            return try StudyConfig.decode(data, presetLoader: { name in
                try readPreset(presetURL(name, configURL: url))
            })
        } catch {
            throw UsageError(description: "\(url.path): \(error)")
        }
    }

    /// The file of device preset `name` for the study config at `configURL`.
    static func presetURL(_ name: String, configURL: URL) -> URL {
        configURL.deletingLastPathComponent().appendingPathComponent("devices").appendingPathComponent("\(name).json")
    }

    /// The bytes of a preset file; a missing file's error lists the presets beside it.
    static func readPreset(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            let folder = url.deletingLastPathComponent()
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            let available = names.isEmpty ? "the folder holds no presets" : "presets there: " + names.joined(separator: ", ")
            throw UsageError(description: "\(url.path) does not exist; \(available)")
        }
        return try Data(contentsOf: url)
    }

    static func load(_ config: StudyConfig, configURL: URL, dataDirectory: String?, limit: Int?,
                     log: (String) -> Void) throws -> StudyInputs {
        let base = configURL.deletingLastPathComponent()
        let modelURL = URL(fileURLWithPath: config.model, relativeTo: base).standardizedFileURL
        let network = try ModelLoader.load(modelURL)
        let dataset = config.dataset
        var (images, labels) = (dataset.testImages, dataset.testLabels)
        var testLimit = dataset.testLimit
        if let directory = dataDirectory {
            (images, labels) = try fullTestSet(dataset.format, directory: directory)
            testLimit = nil
        }
        let testSet = try DatasetLoader.load(format: dataset.format, images: images, labels: labels, config: dataset,
                                             base: base, limit: limit ?? testLimit)
        if let limit, testSet.count < limit {
            throw UsageError(description: "--limit \(limit) is above the \(testSet.count) images in \(testSet.name); give at most \(testSet.count), or leave out --limit to score them all")
        }
        guard testSet.shape == network.inputShape else {
            throw UsageError(description: "\(modelURL.path): the network takes samples of shape \(network.inputShape) but \(testSet.name) contains images of shape \(testSet.shape); pair the model with its own dataset")
        }
        let calibration: Dataset
        if let calibrationImages = dataset.calibrationImages {
            calibration = try DatasetLoader.load(format: dataset.format, images: calibrationImages,
                                                 labels: dataset.calibrationLabels, config: dataset, base: base,
                                                 limit: dataset.calibrationLimit)
        } else {
            log("note: no dataset.calibrationImages; calibrating DAC ranges on the first \(dataset.calibrationLimit) test images")
            calibration = testSet.prefix(dataset.calibrationLimit)
        }
        log("model \(modelURL.lastPathComponent): \(network.weightLayerIndices.count) weight layers; test set \(testSet.name): \(testSet.count) images; calibration: \(calibration.count) images")
        return StudyInputs(network: network, testSet: testSet, calibrationSet: calibration,
                           inputFullScale: Calibration.inputFullScale(network, images: calibration,
                                                                           batchSize: config.batchSize))
    }

    /// Returns the canonical test files of a format inside `directory`, gzip-compressed or raw.
    static func fullTestSet(_ format: DatasetFormat, directory: String) throws -> (String, String?) {
        let folder = URL(fileURLWithPath: directory)
        func existing(_ names: [String]) throws -> String {
            for name in names where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
                return folder.appendingPathComponent(name).path
            }
            throw UsageError(description: "--data-dir \(directory) contains none of \(names.joined(separator: ", ")); point it at the folder of the original dataset files (scripts/fetch_cifar10.sh fetches CIFAR-10)")
        }
        switch format {
        case .idx:
            return (try existing(["t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"]),
                    try existing(["t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte"]))
        case .cifar10:
            return (try existing(["test_batch.bin"]), nil)
        }
    }
}
