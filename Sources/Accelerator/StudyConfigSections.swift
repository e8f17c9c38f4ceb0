import Crossbar
import DeviceModel
import Foundation
import Peripherals

/// The image file formats the study can read.
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
    /// MNIST and Fashion-MNIST: IDX image and label files, gzip-compressed or raw.
    case idx
    /// CIFAR-10 binary batches: a label byte and 3,072 pixel bytes per record.
    case cifar10
}

/// Where the test and calibration images are and how to normalize them:
/// x = (pixel / 255 - mean[c]) / std[c] for channel c.
public struct DatasetConfig: Codable, Sendable {
    public var format: DatasetFormat
    /// IDX image file, or the CIFAR-10 batch file.
    public var testImages: String
    /// IDX label file; CIFAR-10 batches carry their labels, so it is absent there.
    public var testLabels: String?
    /// Images used only to calibrate converter ranges, never scored.
    public var calibrationImages: String?
    public var calibrationLabels: String?
    public var mean: [Double]
    public var std: [Double]
    /// Scores only the first N test images when set.
    public var testLimit: Int?
    /// Calibration images used, at most.
    public var calibrationLimit: Int = 500

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, testImages, testLabels, calibrationImages, calibrationLabels, mean, std
        case testLimit, calibrationLimit
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(DatasetFormat.self, forKey: .format)
        testImages = try c.decode(String.self, forKey: .testImages)
        testLabels = try c.decodeIfPresent(String.self, forKey: .testLabels)
        calibrationImages = try c.decodeIfPresent(String.self, forKey: .calibrationImages)
        calibrationLabels = try c.decodeIfPresent(String.self, forKey: .calibrationLabels)
        mean = try c.decode([Double].self, forKey: .mean)
        std = try c.decode([Double].self, forKey: .std)
        testLimit = try c.decodeIfPresent(Int.self, forKey: .testLimit)
        calibrationLimit = try c.decodeIfPresent(Int.self, forKey: .calibrationLimit) ?? calibrationLimit
    }

    func validate() throws {
        if format == .idx && testLabels == nil {
            throw ConfigError(key: "dataset.testLabels", message: "missing: the idx format needs a label file")
        }
        if format == .idx && calibrationImages != nil && calibrationLabels == nil {
            throw ConfigError(key: "dataset.calibrationLabels", message: "missing: the idx format needs a label file")
        }
        guard !mean.isEmpty, mean.count == std.count else {
            throw ConfigError(key: "dataset.std", message: "needs one value per channel, as many as dataset.mean (\(mean.count))")
        }
        for (i, s) in std.enumerated() where !(s > 0 && s.isFinite) {
            throw ConfigError(key: "dataset.std[\(i)]", message: "\(s) is invalid; a standard deviation must be positive")
        }
        for (i, m) in mean.enumerated() where !m.isFinite {
            throw ConfigError(key: "dataset.mean[\(i)]", message: "\(m) is invalid; the mean must be finite")
        }
        if let limit = testLimit { try requireRange(limit, 1...10_000_000, key: "dataset.testLimit") }
        try requireRange(calibrationLimit, 1...100_000, key: "dataset.calibrationLimit")
    }
}

/// The crossbar tile and its read voltage.
public struct ArrayConfig: Codable, Sendable {
    public var tileRows = 128
    public var tileColumns = 128
    /// V_read, the largest word-line voltage magnitude, in volts.
    public var readVoltageVolts = 0.2
    /// Wire, driver and sense resistance of every tile, in ohms. All 0 (the default) is the
    /// ideal crossbar, and `grid.wireSegmentOhms` overrides both segment resistances.
    public var wires = WireResistance.ideal

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tileRows, tileColumns, readVoltageVolts
        case wordLineSegmentOhms, bitLineSegmentOhms, driverOhms, senseOhms
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tileRows = try c.decodeIfPresent(Int.self, forKey: .tileRows) ?? tileRows
        tileColumns = try c.decodeIfPresent(Int.self, forKey: .tileColumns) ?? tileColumns
        readVoltageVolts = try c.decodeIfPresent(Double.self, forKey: .readVoltageVolts) ?? readVoltageVolts
        wires = WireResistance(
            wordLineSegmentOhms: try c.decodeIfPresent(Double.self, forKey: .wordLineSegmentOhms) ?? 0,
            bitLineSegmentOhms: try c.decodeIfPresent(Double.self, forKey: .bitLineSegmentOhms) ?? 0,
            driverOhms: try c.decodeIfPresent(Double.self, forKey: .driverOhms) ?? 0,
            senseOhms: try c.decodeIfPresent(Double.self, forKey: .senseOhms) ?? 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tileRows, forKey: .tileRows)
        try c.encode(tileColumns, forKey: .tileColumns)
        try c.encode(readVoltageVolts, forKey: .readVoltageVolts)
        try c.encode(wires.wordLineSegmentOhms, forKey: .wordLineSegmentOhms)
        try c.encode(wires.bitLineSegmentOhms, forKey: .bitLineSegmentOhms)
        try c.encode(wires.driverOhms, forKey: .driverOhms)
        try c.encode(wires.senseOhms, forKey: .senseOhms)
    }

    func validate() throws {
        try requireRange(tileRows, 1...4096, key: "array.tileRows")
        try requireRange(tileColumns, 1...4096, key: "array.tileColumns")
        guard readVoltageVolts.isFinite else {
            throw ConfigError(key: "array.readVoltageVolts", message: "\(readVoltageVolts) is not a number")
        }
        try requireRange(readVoltageVolts, 0.001...10, key: "array.readVoltageVolts", unit: "V")
        for (key, ohms) in [("wordLineSegmentOhms", wires.wordLineSegmentOhms), ("bitLineSegmentOhms", wires.bitLineSegmentOhms),
                            ("driverOhms", wires.driverOhms), ("senseOhms", wires.senseOhms)] {
            try Self.validateOhms(ohms, key: "array.\(key)")
        }
    }

    /// Checks a resistance in ohms: finite, from 0 (an ideal connection) up to 1 Mohm.
    static func validateOhms(_ ohms: Double, key: String) throws {
        guard ohms.isFinite else { throw ConfigError(key: key, message: "\(ohms) is not a number; give ohms >= 0 (0 is an ideal connection)") }
        try requireRange(ohms, 0...1e6, key: key, unit: "ohms", hint: "0 is an ideal connection")
    }
}

/// The word-line DAC: "ideal" or a number of bits (2 to 16), and the input scheme.
public struct DACConfig: Codable, Sendable {
    public var resolution: ConverterResolution = .ideal
    public var scheme: DACScheme = .parallel

    enum CodingKeys: String, CodingKey, CaseIterable { case resolution, scheme }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resolution = try c.decodeIfPresent(ConverterResolution.self, forKey: .resolution) ?? resolution
        scheme = try c.decodeIfPresent(DACScheme.self, forKey: .scheme) ?? scheme
    }

    func validate() throws {
        try Self.validate(resolution, key: "dac.resolution", scheme: scheme)
    }

    static func validate(_ resolution: ConverterResolution, key: String, scheme: DACScheme) throws {
        switch resolution {
        case .bits(let b):
            try requireRange(b, 2...16, key: key, unit: "bits", hint: "write \"ideal\" for an ideal DAC")
        case .ideal where scheme == .bitSerial:
            throw ConfigError(key: key, message: "a bit-serial DAC needs a number of bits (2 to 16), not \"ideal\"")
        case .ideal:
            break
        }
    }
}

/// The column ADC: resolution, how its full-scale range is chosen and what it converts.
public struct ADCConfig: Codable, Sendable {
    public enum Range: String, Codable, Sendable, CaseIterable {
        /// The largest current a tile can produce; no code clips.
        case worstCase
        /// I_fs = fullScaleAmperes for every tile.
        case fixed
        /// Per layer, `percentile` of the currents seen on calibration images.
        case calibrated
    }

    public var resolution: ConverterResolution = .ideal
    public var range: Range = .worstCase
    public var fullScaleAmperes: Double?
    /// For the calibrated range: the percentile of current magnitudes, in (0, 100].
    public var percentile = 99.99
    public var conversion: ADCConversion = .differential

    enum CodingKeys: String, CodingKey, CaseIterable { case resolution, range, fullScaleAmperes, percentile, conversion }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resolution = try c.decodeIfPresent(ConverterResolution.self, forKey: .resolution) ?? resolution
        range = try c.decodeIfPresent(Range.self, forKey: .range) ?? range
        fullScaleAmperes = try c.decodeIfPresent(Double.self, forKey: .fullScaleAmperes)
        percentile = try c.decodeIfPresent(Double.self, forKey: .percentile) ?? percentile
        conversion = try c.decodeIfPresent(ADCConversion.self, forKey: .conversion) ?? conversion
    }

    func rangeMode(_ range: Range) -> ADCRangeMode {
        switch range {
        case .worstCase: .worstCase
        case .fixed: .fixed(amperes: fullScaleAmperes ?? 0)
        case .calibrated: .calibrated(percentile: percentile)
        }
    }

    func validate(ranges: [Range]) throws {
        try Self.validate(resolution, key: "adc.resolution")
        if ranges.contains(.fixed) {
            guard let amperes = fullScaleAmperes, amperes > 0, amperes.isFinite else {
                throw ConfigError(key: "adc.fullScaleAmperes", message: "a fixed range needs a positive full-scale current in amperes, got \(fullScaleAmperes.map { "\($0)" } ?? "none")")
            }
        } else if fullScaleAmperes != nil {
            throw ConfigError(key: "adc.fullScaleAmperes", message: "only used with the fixed range; remove it or set \"range\": \"fixed\"")
        }
        guard percentile.isFinite, percentile > 0, percentile <= 100 else {
            throw ConfigError(key: "adc.percentile", message: "\(percentile) is out of range; allowed: above 0 up to 100")
        }
    }

    static func validate(_ resolution: ConverterResolution, key: String) throws {
        if case .bits(let b) = resolution {
            try requireRange(b, 2...22, key: key, unit: "bits", hint: "write \"ideal\" for an ideal ADC")
        }
    }
}

/// The axes of the study grid. The hardware axes are optional; when absent, the single
/// value of the `array`, `dac` or `adc` section is used.
public struct GridConfig: Codable, Sendable {
    /// Conductance levels per cell: integers >= 2 or "unquantized". When absent from the
    /// file, the device's level count, filled in before validation.
    public var levels: [LevelCount]
    /// Programming variation sigma as fractions (0.05 is 5 %); for per-level variation, the
    /// factor on the measured table. When absent from the file, the device's variation.
    public var variation: [Double]
    /// Gmax / Gmin values; absent when the device fixes Gmin.
    public var dynamicRange: [Double]?
    /// Square tiles: rows = columns = each value. Excludes tileRows and tileColumns.
    public var tileSize: [Int]?
    public var tileRows: [Int]?
    public var tileColumns: [Int]?
    public var dacResolution: [ConverterResolution]?
    public var adcResolution: [ConverterResolution]?
    public var adcRange: [ADCConfig.Range]?
    /// Read times t after programming in seconds, for a device with drift.
    public var readTimeSeconds: [Double]?
    /// Word-line and bit-line segment resistances in ohms, both set to each value.
    public var wireSegmentOhms: [Double]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case levels, variation, dynamicRange, tileSize, tileRows, tileColumns, dacResolution, adcResolution, adcRange
        case readTimeSeconds, wireSegmentOhms
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        levels = try c.decodeIfPresent([LevelCount].self, forKey: .levels) ?? []
        variation = try c.decodeIfPresent([Double].self, forKey: .variation) ?? []
        dynamicRange = try c.decodeIfPresent([Double].self, forKey: .dynamicRange)
        tileSize = try c.decodeIfPresent([Int].self, forKey: .tileSize)
        tileRows = try c.decodeIfPresent([Int].self, forKey: .tileRows)
        tileColumns = try c.decodeIfPresent([Int].self, forKey: .tileColumns)
        dacResolution = try c.decodeIfPresent([ConverterResolution].self, forKey: .dacResolution)
        adcResolution = try c.decodeIfPresent([ConverterResolution].self, forKey: .adcResolution)
        adcRange = try c.decodeIfPresent([ADCConfig.Range].self, forKey: .adcRange)
        readTimeSeconds = try c.decodeIfPresent([Double].self, forKey: .readTimeSeconds)
        wireSegmentOhms = try c.decodeIfPresent([Double].self, forKey: .wireSegmentOhms)
    }

    /// Returns the wires of each point: the array's, with both segment resistances taken
    /// from the `wireSegmentOhms` axis when there is one.
    func wireValues(array: ArrayConfig) -> [WireResistance] {
        guard let segments = wireSegmentOhms else { return [array.wires] }
        return segments.map { ohms in
            var wires = array.wires
            wires.wordLineSegmentOhms = ohms
            wires.bitLineSegmentOhms = ohms
            return wires
        }
    }

    /// The dynamic range axis, or the device's own Gmax / Gmin as a single value.
    func dynamicRangeValues(device: DeviceConfig) -> [Double] {
        if let dynamicRange { return dynamicRange }
        if let gmin = device.minimumSiemens { return [device.maximumSiemens / gmin] }
        return [device.dynamicRange ?? 0]
    }

    /// Fills the axes the file left out with the device's own values. An axis that stays
    /// empty fails validation.
    mutating func fillDefaults(device: DeviceConfig) {
        if levels.isEmpty {
            if let measured = device.levelsSiemens {
                levels = [.quantized(measured.count)]
            } else if let count = device.levels {
                levels = [count]
            }
        }
        if variation.isEmpty {
            if let sigma = device.variation {
                variation = [sigma]
            } else if device.variationModel == .perLevel {
                variation = [1]
            }
        }
    }

    /// The tile shapes of the grid, rows varying slower than columns.
    func tileShapes(array: ArrayConfig) -> [TileShape] {
        if let sizes = tileSize { return sizes.map { TileShape(rows: $0, columns: $0) } }
        return (tileRows ?? [array.tileRows]).flatMap { rows in
            (tileColumns ?? [array.tileColumns]).map { TileShape(rows: rows, columns: $0) }
        }
    }

    func validate(dacScheme: DACScheme) throws {
        if levels.isEmpty {
            throw ConfigError(key: "grid.levels", message: "missing: give grid.levels, the device's levels or its measured levelsSiemens")
        }
        if variation.isEmpty {
            throw ConfigError(key: "grid.variation", message: "missing: give grid.variation or the device's variation")
        }
        for (i, level) in levels.enumerated() {
            if case .quantized(let n) = level {
                try requireRange(n, 2...65_536, key: "grid.levels[\(i)]",
                                 hint: "a cell needs at least 2 levels; use \"unquantized\" for an analog cell")
            }
        }
        for (i, sigma) in variation.enumerated() {
            guard sigma.isFinite else { throw ConfigError(key: "grid.variation[\(i)]", message: "\(sigma) is not a number") }
            try requireRange(sigma, 0...1, key: "grid.variation[\(i)]", hint: "variation is a fraction: 0.05 means 5 %")
        }
        for (i, range) in (dynamicRange ?? []).enumerated() {
            guard range.isFinite, range > 1 else {
                throw ConfigError(key: "grid.dynamicRange[\(i)]", message: "\(range) is invalid; Gmax / Gmin must be above 1, so that Gmin < Gmax")
            }
        }
        if let ranges = dynamicRange { try requireNonEmpty(ranges.count, key: "grid.dynamicRange") }
        try validateHardwareAxes(dacScheme: dacScheme)
        try requireDistinctValues()
    }

    /// Rejects an axis that lists a value twice: every point would run again with draws of
    /// its own and report a slightly different accuracy for the same setting.
    private func requireDistinctValues() throws {
        func check<Value: Hashable>(_ values: [Value]?, _ name: String) throws {
            var seen: [Value: Int] = [:]
            for (i, value) in (values ?? []).enumerated() {
                if let first = seen[value] {
                    throw ConfigError(key: "grid.\(name)[\(i)]",
                                      message: "\(value) repeats grid.\(name)[\(first)]; list each value of an axis once, and raise trials for more draws")
                }
                seen[value] = i
            }
        }
        try check(levels, "levels")
        try check(variation, "variation")
        try check(dynamicRange, "dynamicRange")
        try check(tileSize, "tileSize")
        try check(tileRows, "tileRows")
        try check(tileColumns, "tileColumns")
        try check(dacResolution, "dacResolution")
        try check(adcResolution, "adcResolution")
        try check(adcRange, "adcRange")
        try check(readTimeSeconds, "readTimeSeconds")
        try check(wireSegmentOhms, "wireSegmentOhms")
    }

    private func validateHardwareAxes(dacScheme: DACScheme) throws {
        if tileSize != nil && (tileRows != nil || tileColumns != nil) {
            throw ConfigError(key: "grid.tileSize", message: "give either tileSize (square tiles) or tileRows and tileColumns, not both")
        }
        for (name, values) in [("tileSize", tileSize), ("tileRows", tileRows), ("tileColumns", tileColumns)] {
            guard let values else { continue }
            try requireNonEmpty(values.count, key: "grid.\(name)")
            for (i, value) in values.enumerated() { try requireRange(value, 1...4096, key: "grid.\(name)[\(i)]") }
        }
        if let segments = wireSegmentOhms {
            try requireNonEmpty(segments.count, key: "grid.wireSegmentOhms")
            for (i, ohms) in segments.enumerated() { try ArrayConfig.validateOhms(ohms, key: "grid.wireSegmentOhms[\(i)]") }
        }
        for (i, resolution) in (dacResolution ?? []).enumerated() {
            try DACConfig.validate(resolution, key: "grid.dacResolution[\(i)]", scheme: dacScheme)
        }
        for (i, resolution) in (adcResolution ?? []).enumerated() {
            try ADCConfig.validate(resolution, key: "grid.adcResolution[\(i)]")
        }
        if let values = dacResolution { try requireNonEmpty(values.count, key: "grid.dacResolution") }
        if let values = adcResolution { try requireNonEmpty(values.count, key: "grid.adcResolution") }
        if let values = adcRange { try requireNonEmpty(values.count, key: "grid.adcRange") }
    }

    private func requireNonEmpty(_ count: Int, key: String) throws {
        if count == 0 { throw ConfigError(key: key, message: "empty; give at least one value") }
    }
}

extension AdaptiveTrials {
    enum CodingKeys: String, CodingKey, CaseIterable { case targetHalfWidth, minimum, maximum, step }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(targetHalfWidth: try c.decode(Double.self, forKey: .targetHalfWidth),
                  minimum: try c.decodeIfPresent(Int.self, forKey: .minimum) ?? 5,
                  maximum: try c.decodeIfPresent(Int.self, forKey: .maximum) ?? 100,
                  step: try c.decodeIfPresent(Int.self, forKey: .step) ?? 4)
    }

    func validate() throws {
        guard targetHalfWidth.isFinite, targetHalfWidth > 0, targetHalfWidth < 1 else {
            throw ConfigError(key: "adaptiveTrials.targetHalfWidth", message: "\(targetHalfWidth) is out of range; give an accuracy fraction above 0 and below 1 (0.005 is 0.5 points)")
        }
        try requireRange(minimum, 2...100_000, key: "adaptiveTrials.minimum", hint: "a confidence interval needs at least 2 trials")
        try requireRange(maximum, minimum...100_000, key: "adaptiveTrials.maximum", hint: "at least adaptiveTrials.minimum")
        try requireRange(step, 1...10_000, key: "adaptiveTrials.step")
    }
}
