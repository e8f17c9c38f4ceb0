import DeviceModel
import Foundation
import Peripherals

/// A Monte Carlo study as written in `configs/*.json`. Paths are relative to the folder of
/// the config file. `validate()` runs before any work; unknown keys are rejected.
public struct StudyConfig: Codable, Sendable {
    public var name: String
    /// The ONNX model file.
    public var model: String
    public var dataset: DatasetConfig
    public var device: DeviceConfig
    public var array: ArrayConfig
    public var dac: DACConfig
    public var adc: ADCConfig
    public var grid: GridConfig
    /// Trials per grid point with variation; a point with sigma = 0 runs one trial.
    public var trials: Int = 20
    /// The study seed; every trial's stream derives from it, the grid point and the trial.
    public var seed: UInt64 = 1
    /// Images per batch in one GEMM; the split is fixed so results do not depend on threads.
    public var batchSize: Int = 500
    /// Test images on which every trial measures per-layer distortion against the float
    /// network; 0 turns the measurement off.
    public var distortionImages: Int = 100
    /// Stops each point with variation once its 95 % CI half-width reaches a target; when
    /// absent, every such point runs `trials` trials.
    public var adaptiveTrials: AdaptiveTrials?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, model, dataset, device, array, dac, adc, grid, trials, seed, batchSize, distortionImages
        case adaptiveTrials
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        model = try c.decode(String.self, forKey: .model)
        dataset = try c.decode(DatasetConfig.self, forKey: .dataset)
        device = try c.decodeIfPresent(DeviceConfig.self, forKey: .device) ?? DeviceConfig()
        array = try c.decodeIfPresent(ArrayConfig.self, forKey: .array) ?? ArrayConfig()
        dac = try c.decodeIfPresent(DACConfig.self, forKey: .dac) ?? DACConfig()
        adc = try c.decodeIfPresent(ADCConfig.self, forKey: .adc) ?? ADCConfig()
        grid = try c.decode(GridConfig.self, forKey: .grid)
        trials = try c.decodeIfPresent(Int.self, forKey: .trials) ?? trials
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        distortionImages = try c.decodeIfPresent(Int.self, forKey: .distortionImages) ?? distortionImages
        adaptiveTrials = try c.decodeIfPresent(AdaptiveTrials.self, forKey: .adaptiveTrials)
    }

    /// Decodes and validates a config from JSON bytes. A device preset is loaded into the
    /// config first, so the config contains the preset's values and records its name; grid
    /// axes the file leaves out take the device's own values.
    ///
    /// - Parameter presetLoader: returns the JSON bytes of the preset with the given name
    ///   (the CLI reads `configs/devices/NAME.json`); nil rejects configs naming a preset.
    /// - Throws: `ConfigError` naming the first invalid key.
    public static func decode(_ data: Data, presetLoader: ((String) throws -> Data)? = nil) throws(ConfigError) -> StudyConfig {
        var config: StudyConfig = try decodeJSON(data)
        if let name = config.device.preset {
            guard let presetLoader else {
                throw ConfigError(key: "device.preset", message: "the config names preset '\(name)' but no preset folder was given")
            }
            config.device = try DeviceConfig.loadPreset(named: name, loader: presetLoader)
        }
        config.grid.fillDefaults(device: config.device)
        try config.validate()
        return config
    }

    /// Decodes a JSON value, turning every failure into a `ConfigError` that names the key.
    static func decodeJSON<Value: Decodable>(_ data: Data) throws(ConfigError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as ConfigError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw ConfigError.corruption(in: data, decoding: Value.self)
        } catch let error as DecodingError {
            throw ConfigError.from(error)
        } catch {
            throw ConfigError(key: "(file)", message: "\(error)")
        }
    }

    /// Checks every value against its allowed range.
    public func validate() throws(ConfigError) {
        do {
            try requireRange(trials, 1...100_000, key: "trials")
            try requireRange(batchSize, 1...65_536, key: "batchSize")
            try requireRange(distortionImages, 0...10_000, key: "distortionImages")
            if let adaptive = adaptiveTrials { try adaptive.validate() }
            try dataset.validate()
            do {
                try device.validate(grid: grid)
            } catch let error as ConfigError where device.presetName != nil {
                throw ConfigError(key: error.key, message: error.message + " (device preset '\(device.presetName!)')")
            }
            try array.validate()
            if grid.wireSegmentOhms != nil, array.wires.wordLineSegmentOhms != 0 || array.wires.bitLineSegmentOhms != 0 {
                let key = array.wires.wordLineSegmentOhms != 0 ? "array.wordLineSegmentOhms" : "array.bitLineSegmentOhms"
                throw ConfigError(key: key,
                                  message: "grid.wireSegmentOhms sets both segment resistances, so the array's values would be ignored; remove array.wordLineSegmentOhms and array.bitLineSegmentOhms, or the grid axis")
            }
            try dac.validate()
            try adc.validate(ranges: grid.adcRange ?? [adc.range])
            try grid.validate(dacScheme: dac.scheme)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(key: "(file)", message: "\(error)")
        }
    }

    /// The grid points in order: levels outermost, then variation, dynamic range, read
    /// time, tile shape, wire resistance, DAC resolution, ADC resolution and ADC range.
    public var points: [GridPoint] {
        let readTimes: [Double?] = grid.readTimeSeconds.map { $0.map(Optional.some) } ?? [nil]
        let device: [(LevelCount, Double, Double, Double?)] = grid.levels.flatMap { levels in
            grid.variation.flatMap { variation in
                grid.dynamicRangeValues(device: self.device).flatMap { range in
                    readTimes.map { (levels, variation, range, $0) }
                }
            }
        }
        var points: [GridPoint] = []
        for (levels, variation, range, readTime) in device {
            for tile in grid.tileShapes(array: array) {
                for wires in grid.wireValues(array: array) {
                    for dacResolution in grid.dacResolution ?? [dac.resolution] {
                        for adcResolution in grid.adcResolution ?? [adc.resolution] {
                            for adcRange in grid.adcRange ?? [adc.range] {
                                var point = GridPoint(
                                    index: points.count, levels: levels, variation: variation, dynamicRange: range,
                                    tile: tile, dacResolution: dacResolution, adcResolution: adcResolution,
                                    adcRange: adcRange, readTimeSeconds: readTime,
                                    hasDeviceNoise: self.device.hasNoiseBeyondVariation)
                                point.wires = wires
                                points.append(point)
                            }
                        }
                    }
                }
            }
        }
        return points
    }

    /// Every tile shape the grid uses.
    public var tileShapes: [TileShape] { grid.tileShapes(array: array) }

    /// The hardware of one grid point.
    public func settings(for point: GridPoint) throws -> AnalogSettings {
        let model = try device.cellModel(levels: point.levels, variation: point.variation,
                                         dynamicRange: point.dynamicRange, readTimeSeconds: point.readTimeSeconds)
        var settings = AnalogSettings(
            window: model.levels.window,
            levels: model.levels,
            variation: model.cells.variation,
            tile: point.tile,
            dac: DAC(resolution: point.dacResolution, readVoltageVolts: Float(array.readVoltageVolts), scheme: dac.scheme),
            adc: ADC(resolution: point.adcResolution),
            adcRange: adc.rangeMode(point.adcRange),
            adcConversion: adc.conversion)
        settings.faults = model.cells.faults
        settings.drift = model.cells.drift
        settings.readTimeSeconds = model.cells.readTimeSeconds
        settings.readNoise = model.readNoise
        settings.wires = point.wires
        return settings
    }
}
