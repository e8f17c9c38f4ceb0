import Accelerator
import DeviceModel
import Foundation
import Testing

/// The shipped presets in configs/devices.
enum ShippedPresets {
    static let folder = Fixtures.url("configs/devices")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
    }
}

@Suite struct DevicePresetTests {
    /// Decodes a minimal study config with `device` and `grid` given as JSON text.
    func decode(device: String, grid: String, presets: [String: String] = [:]) throws(ConfigError) -> StudyConfig {
        let json = """
        {"name": "t", "model": "m.onnx",
         "dataset": {"format": "idx", "testImages": "i", "testLabels": "l", "mean": [0.1], "std": [0.3]},
         "device": \(device), "grid": \(grid)}
        """
        return try StudyConfig.decode(Data(json.utf8), presetLoader: { name in
            if let text = presets[name] { return Data(text.utf8) }
            return try ShippedPresets.data(name)
        })
    }

    /// Returns the grid a study needs around a preset: levels and variation, unless it lists its own levels.
    func grid(for device: DeviceConfig) -> String {
        device.levelsSiemens == nil ? #"{"levels": [4], "variation": [0.02]}"# : #"{"variation": [0.5, 1]}"#
    }

    @Test func shippedPresetsExist() {
        #expect(ShippedPresets.names.contains("generic"))
        #expect(ShippedPresets.names.count >= 3)
    }

    @Test func everyShippedPresetLoadsIntoStudy() throws {
        for name in ShippedPresets.names {
            let preset = try DeviceConfig.decodePreset(try ShippedPresets.data(name), name: name)
            #expect(preset.source?.isEmpty == false, "\(name) names no source")
            for reference in ["\"\(name)\"", "{\"preset\": \"\(name)\"}"] {
                let config = try decode(device: reference, grid: grid(for: preset))
                #expect(config.device.presetName == name)
                #expect(config.device.source == preset.source)
                #expect(config.device.levelsSiemens == preset.levelsSiemens)
                #expect(config.device.levelSigmaSiemens == preset.levelSigmaSiemens)
                #expect(config.device.gmaxSiemens == preset.gmaxSiemens)
                #expect(!config.points.isEmpty)
                for point in config.points { _ = try config.settings(for: point) }

                // The saved config contains the preset's values and decodes to the same study.
                let saved = try JSONEncoder().encode(config)
                let text = String(decoding: saved, as: UTF8.self)
                #expect(text.contains("\"presetName\":\"\(name)\""))
                #expect(!text.contains("\"preset\":"))
                let reloaded = try StudyConfig.decode(saved)
                #expect(reloaded.points == config.points)
            }
        }
    }

    @Test func genericPresetMatchesClassicDevice() throws {
        let classic = try decode(device: #"{"gmaxSiemens": 1e-4}"#,
                                 grid: #"{"levels": [8], "variation": [0.05], "dynamicRange": [10]}"#)
        let preset = try decode(device: #""generic""#, grid: #"{"levels": [8], "variation": [0.05]}"#)
        #expect(classic.points == preset.points)
        let a = try classic.settings(for: classic.points[0])
        let b = try preset.settings(for: preset.points[0])
        #expect(a.levels.values == b.levels.values)
        #expect(a.variation.model == b.variation.model)
        #expect(a.variation.sigma == b.variation.sigma)
    }

    @Test func presetWithExplicitValuesRejected() {
        do {
            _ = try decode(device: #"{"preset": "generic", "gmaxSiemens": 2e-4}"#, grid: #"{"levels": [4], "variation": [0]}"#)
            Issue.record("a preset with explicit values was accepted")
        } catch {
            #expect(error.key == "device.gmaxSiemens")
            #expect(error.message.contains("not both"))
        }
    }

    @Test func levelsAxisMustMatchMeasuredLevels() throws {
        let preset = try decode(device: #""milo-irps2021""#, grid: #"{"levels": [5], "variation": [1]}"#)
        #expect(preset.grid.levels == [.quantized(5)])
        do {
            _ = try decode(device: #""milo-irps2021""#, grid: #"{"levels": [4], "variation": [1]}"#)
            Issue.record("a level axis that disagrees with the measured levels was accepted")
        } catch {
            #expect(error.key == "grid.levels[0]")
            #expect(error.message.contains("5 measured levels"))
            #expect(error.message.contains("device preset 'milo-irps2021'"))
        }
    }

    @Test func missingPresetLoaderRejected() {
        #expect(throws: ConfigError.self) {
            _ = try StudyConfig.decode(Data(#"{"name": "t", "model": "m", "dataset": {"format": "idx", "testImages": "i", "testLabels": "l", "mean": [0], "std": [1]}, "device": "generic", "grid": {"levels": [2], "variation": [0]}}"#.utf8))
        }
    }

    // Each case: the preset file's text, the key the error names and a fragment of its message.
    @Test(arguments: [
        (#"{"levelsSiemens": [2e-5, 1e-5]}"#, "device.levelsSiemens", "ascending"),
        (#"{"levelsSiemens": [1e-5, 2e-5], "gmaxSiemens": 1e-4}"#, "device.gmaxSiemens", "fix the window"),
        (#"{"levelsSiemens": [1e-5, 2e-5], "variationModel": "perLevel", "levelSigmaSiemens": [1e-6]}"#,
         "device.levelSigmaSiemens", "1 values for 2 levels"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 10, "variationModel": "perLevel"}"#, "device.variationModel", "levelsSiemens"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 10, "stuckOffRate": 0.6, "stuckOnRate": 0.5}"#, "device.stuckOnRate", "above 1"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 10, "readNoise": 2}"#, "device.readNoise", "0 to 1"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 10, "drift": {"exponentMean": -0.1}}"#, "device.drift.exponentMean", "out of range"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 0.5}"#, "device.dynamicRange", "above 1"),
        (#"{"gmaxSiemens": 1e-4, "dynamicRange": 10, "driftt": {}}"#, "device.driftt", "unknown key"),
        (#"{"preset": "generic"}"#, "device.preset", "names a preset itself"),
        (#"{"gmaxSiemens": NaN}"#, "device", "in the device preset file devices/bad.json next to the config"),
    ])
    func badPresetRejected(text: String, key: String, fragment: String) {
        do {
            _ = try decode(device: #""bad""#, grid: #"{"levels": [4], "variation": [0]}"#, presets: ["bad": text])
            Issue.record("preset \(text) was accepted")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.message.contains("device preset"), "\(error)")
            #expect(error.message.contains("bad"), "\(error)")
        }
    }

    @Test func readTimeAxisNeedsDrift() {
        do {
            _ = try decode(device: #"{"gmaxSiemens": 1e-4}"#,
                           grid: #"{"levels": [4], "variation": [0], "dynamicRange": [10], "readTimeSeconds": [10]}"#)
            Issue.record("a read-time axis without drift was accepted")
        } catch {
            #expect(error.key == "grid.readTimeSeconds")
        }
    }

    @Test func readTimeAxisAddsPoints() throws {
        let config = try decode(device: #"{"gmaxSiemens": 1e-4, "drift": {"exponentMean": 0.05}}"#,
                                grid: #"{"levels": [4], "variation": [0], "dynamicRange": [10], "readTimeSeconds": [1, 100]}"#)
        #expect(config.points.map(\.readTimeSeconds) == [1, 100])
        let settings = try config.settings(for: config.points[1])
        #expect(settings.readTimeSeconds == 100)
        #expect(settings.drift?.exponentMean == 0.05)
    }
}

@Suite struct DeviceFitTests {
    @Test func fitRecoversPresetStatistics() throws {
        let name = "wan-nature2022"
        let original = try DeviceConfig.decodePreset(try ShippedPresets.data(name), name: name)
        let model = try original.cellModel(levels: .quantized(8), variation: 1, dynamicRange: 8, readTimeSeconds: nil)

        // Measurements sampled from the preset, as a measured CSV file would hold them.
        let perLevel = 5_000
        var csv = "level,conductance_siemens\n"
        var faults = FaultCounts()
        for k in 0..<model.levels.values.count {
            try DeviceReport.sampleReads(model, level: k, count: perLevel, seed: 77, faults: &faults) { csv += "\(k),\($0)\n" }
        }
        let fits = try ConductanceMeasurements(csv: csv).fit()
        let fitted = DeviceConfig.fitted(fits, source: "test")
        try fitted.validate()
        let fittedModel = try fitted.cellModel(levels: .quantized(8), variation: 1, dynamicRange: 8, readTimeSeconds: nil)

        let cells = 20_000
        let expected = try DeviceReport.measure(model, cellsPerLevel: cells, seed: 1)
        let reported = try DeviceReport.measure(fittedModel, cellsPerLevel: cells, seed: 2)
        for (k, (want, got)) in zip(expected.levels, reported.levels).enumerated() {
            let sigma = want.standardDeviationSiemens
            // Two independent samples (the fit's and the report's) add their sampling errors:
            // of a mean sigma / sqrt(n), of a standard deviation about sigma / sqrt(2 n).
            let meanError = sigma * (1 / Double(perLevel) + 2 / Double(cells)).squareRoot()
            let deviationError = sigma * (1 / Double(2 * perLevel) + 2 / Double(2 * cells)).squareRoot()
            #expect(abs(got.meanSiemens - want.meanSiemens) < 4 * meanError, "level \(k) mean")
            #expect(abs(got.standardDeviationSiemens - sigma) < 4 * deviationError, "level \(k) standard deviation")
        }
    }
}
