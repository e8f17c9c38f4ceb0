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

/// The ReRAM cell: Gmax (or Ron), optionally Gmin (or Roff), and the variation model.
/// Gmin comes either from here or from the grid's dynamic range, never both.
public struct DeviceConfig: Codable, Sendable {
    public var gmaxSiemens: Double?
    public var gminSiemens: Double?
    public var onResistanceOhms: Double?
    public var offResistanceOhms: Double?
    public var variationModel: VariationModel = .relative

    enum CodingKeys: String, CodingKey, CaseIterable {
        case gmaxSiemens, gminSiemens, onResistanceOhms, offResistanceOhms, variationModel
    }

    public init() { gmaxSiemens = 100e-6 }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gmaxSiemens = try c.decodeIfPresent(Double.self, forKey: .gmaxSiemens)
        gminSiemens = try c.decodeIfPresent(Double.self, forKey: .gminSiemens)
        onResistanceOhms = try c.decodeIfPresent(Double.self, forKey: .onResistanceOhms)
        offResistanceOhms = try c.decodeIfPresent(Double.self, forKey: .offResistanceOhms)
        variationModel = try c.decodeIfPresent(VariationModel.self, forKey: .variationModel) ?? variationModel
        if gmaxSiemens == nil && onResistanceOhms == nil { gmaxSiemens = 100e-6 }
    }

    /// Gmax in siemens, from gmaxSiemens or 1 / onResistanceOhms.
    public var maximumSiemens: Double { gmaxSiemens ?? 1 / onResistanceOhms! }

    /// Gmin in siemens when the device gives it, from gminSiemens or 1 / offResistanceOhms.
    public var minimumSiemens: Double? { gminSiemens ?? offResistanceOhms.map { 1 / $0 } }

    func validate(grid: GridConfig) throws {
        if gmaxSiemens != nil && onResistanceOhms != nil {
            throw ConfigError(key: "device.onResistanceOhms", message: "give either gmaxSiemens or onResistanceOhms, not both")
        }
        if gminSiemens != nil && offResistanceOhms != nil {
            throw ConfigError(key: "device.offResistanceOhms", message: "give either gminSiemens or offResistanceOhms, not both")
        }
        let gmaxKey = gmaxSiemens != nil ? "device.gmaxSiemens" : "device.onResistanceOhms"
        guard maximumSiemens.isFinite, maximumSiemens > 0, maximumSiemens <= 1 else {
            throw ConfigError(key: gmaxKey, message: "Gmax = \(maximumSiemens) S is invalid; allowed: above 0 S up to 1 S")
        }
        if let gmin = minimumSiemens {
            guard gmin.isFinite, gmin >= 0, gmin < maximumSiemens else {
                throw ConfigError(key: gminSiemens != nil ? "device.gminSiemens" : "device.offResistanceOhms",
                                  message: "Gmin = \(gmin) S must be at least 0 and below Gmax = \(maximumSiemens) S; lower Gmin or raise Gmax")
            }
            if grid.dynamicRange != nil {
                throw ConfigError(key: "grid.dynamicRange", message: "the device already fixes Gmin; remove grid.dynamicRange or the device's Gmin")
            }
        } else if grid.dynamicRange == nil {
            throw ConfigError(key: "grid.dynamicRange", message: "missing: give grid.dynamicRange (Gmax / Gmin) or the device's gminSiemens")
        }
    }
}

/// The crossbar tile and its read voltage.
public struct ArrayConfig: Codable, Sendable {
    public var tileRows = 128
    public var tileColumns = 128
    /// V_read, the largest word-line voltage magnitude, in volts.
    public var readVoltageVolts = 0.2

    enum CodingKeys: String, CodingKey, CaseIterable { case tileRows, tileColumns, readVoltageVolts }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tileRows = try c.decodeIfPresent(Int.self, forKey: .tileRows) ?? tileRows
        tileColumns = try c.decodeIfPresent(Int.self, forKey: .tileColumns) ?? tileColumns
        readVoltageVolts = try c.decodeIfPresent(Double.self, forKey: .readVoltageVolts) ?? readVoltageVolts
    }

    func validate() throws {
        try requireRange(tileRows, 1...4096, key: "array.tileRows")
        try requireRange(tileColumns, 1...4096, key: "array.tileColumns")
        guard readVoltageVolts.isFinite else {
            throw ConfigError(key: "array.readVoltageVolts", message: "\(readVoltageVolts) is not a number")
        }
        try requireRange(readVoltageVolts, 0.001...10, key: "array.readVoltageVolts", unit: "V")
    }
}

/// The word-line DAC: "ideal" or a number of bits (2 to 16).
public struct DACConfig: Codable, Sendable {
    public var resolution: ConverterResolution = .ideal

    enum CodingKeys: String, CodingKey, CaseIterable { case resolution }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resolution = try c.decodeIfPresent(ConverterResolution.self, forKey: .resolution) ?? resolution
    }

    func validate() throws {
        if case .bits(let b) = resolution {
            try requireRange(b, 2...16, key: "dac.resolution", unit: "bits", hint: "write \"ideal\" for an ideal DAC")
        }
    }
}

/// The column ADC: resolution and how its full-scale range is chosen.
public struct ADCConfig: Codable, Sendable {
    public enum Range: String, Codable, Sendable, CaseIterable {
        /// I_fs = V_read * rows used * (Gmax - Gmin) per tile.
        case worstCase
        /// I_fs = fullScaleAmperes for every tile.
        case fixed
    }

    public var resolution: ConverterResolution = .ideal
    public var range: Range = .worstCase
    public var fullScaleAmperes: Double?

    enum CodingKeys: String, CodingKey, CaseIterable { case resolution, range, fullScaleAmperes }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resolution = try c.decodeIfPresent(ConverterResolution.self, forKey: .resolution) ?? resolution
        range = try c.decodeIfPresent(Range.self, forKey: .range) ?? range
        fullScaleAmperes = try c.decodeIfPresent(Double.self, forKey: .fullScaleAmperes)
    }

    var rangeMode: ADCRangeMode {
        range == .fixed ? .fixed(amperes: fullScaleAmperes ?? 0) : .worstCase
    }

    func validate() throws {
        if case .bits(let b) = resolution {
            try requireRange(b, 2...22, key: "adc.resolution", unit: "bits", hint: "write \"ideal\" for an ideal ADC")
        }
        switch range {
        case .fixed:
            guard let amperes = fullScaleAmperes, amperes > 0, amperes.isFinite else {
                throw ConfigError(key: "adc.fullScaleAmperes", message: "a fixed range needs a positive full-scale current in amperes, got \(fullScaleAmperes.map { "\($0)" } ?? "none")")
            }
        case .worstCase:
            if fullScaleAmperes != nil {
                throw ConfigError(key: "adc.fullScaleAmperes", message: "only used with \"range\": \"fixed\"; remove it or set the range to fixed")
            }
        }
    }
}

/// The axes of the study grid.
public struct GridConfig: Codable, Sendable {
    /// Conductance levels per cell: integers >= 2 or "unquantized".
    public var levels: [LevelCount]
    /// Programming variation sigma as fractions (0.05 is 5 %).
    public var variation: [Double]
    /// Gmax / Gmin values; absent when the device fixes Gmin.
    public var dynamicRange: [Double]?

    enum CodingKeys: String, CodingKey, CaseIterable { case levels, variation, dynamicRange }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        levels = try c.decode([LevelCount].self, forKey: .levels)
        variation = try c.decode([Double].self, forKey: .variation)
        dynamicRange = try c.decodeIfPresent([Double].self, forKey: .dynamicRange)
    }

    /// The dynamic range axis, or the device's own Gmax / Gmin as a single value.
    func dynamicRangeValues(device: DeviceConfig) -> [Double] {
        dynamicRange ?? [device.maximumSiemens / (device.minimumSiemens ?? 0)]
    }

    func validate() throws {
        try requireNonEmpty(levels.count, key: "grid.levels")
        try requireNonEmpty(variation.count, key: "grid.variation")
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
    }

    private func requireNonEmpty(_ count: Int, key: String) throws {
        if count == 0 { throw ConfigError(key: key, message: "empty; give at least one value") }
    }
}
