import DeviceModel
import Foundation

/// The ReRAM cell of a study, written inline in the study config or loaded from a preset
/// in `configs/devices/NAME.json`.
///
/// - Window: Gmax (`gmaxSiemens` or `onResistanceOhms`) and Gmin (`gminSiemens` or
///   `offResistanceOhms`), or Gmin from the dynamic range (`grid.dynamicRange`, else
///   `dynamicRange` here), or both from `levelsSiemens`.
/// - Levels: evenly spaced in conductance or in resistance (`levelSpacing`), or an
///   explicit list of measured level means (`levelsSiemens`).
/// - Programming variation (`variationModel`, with sigma from `grid.variation`, else
///   `variation` here, or the per-level table `levelSigmaSiemens`), read noise, stuck-at
///   faults and drift.
///
/// Values here that also have a grid axis (`dynamicRange`, `levels`, `variation`) are the
/// device's own value, used when the study's grid leaves that axis out.
public struct DeviceConfig: Codable, Sendable {
    /// The preset to load, before resolution: `"device": "NAME"` or
    /// `"device": {"preset": "NAME"}`. A study config gives either a preset or explicit
    /// values, never both.
    public var preset: String?
    /// The preset these values were loaded from, written into saved configs beside them.
    public var presetName: String?
    /// Where the numbers come from: authors, venue, year, figure or table.
    public var source: String?
    public var gmaxSiemens: Double?
    public var gminSiemens: Double?
    public var onResistanceOhms: Double?
    public var offResistanceOhms: Double?
    /// Gmax / Gmin of the device, used when `grid.dynamicRange` is absent.
    public var dynamicRange: Double?
    /// The device's level count, used when `grid.levels` is absent.
    public var levels: LevelCount?
    /// How levels sit in the window; conductance (the default) or resistance.
    public var levelSpacing: LevelSpacing?
    /// Measured level means in siemens, ascending; they fix the window and the level count.
    public var levelsSiemens: [Double]?
    public var variationModel: VariationModel = .relative
    /// The device's programming variation sigma (a fraction), used when `grid.variation`
    /// is absent.
    public var variation: Double?
    /// For `variationModel` = `perLevel`: the standard deviation of each level in siemens.
    public var levelSigmaSiemens: [Double]?
    /// sigma_r, the relative read noise of a cell on every read (0.01 is 1 %).
    public var readNoise: Double?
    /// The fraction of cells stuck at Gmin.
    public var stuckOffRate: Double?
    /// The fraction of cells stuck at Gmax.
    public var stuckOnRate: Double?
    public var drift: DriftConfig?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case preset, presetName, source, gmaxSiemens, gminSiemens, onResistanceOhms, offResistanceOhms
        case dynamicRange, levels, levelSpacing, levelsSiemens, variationModel, variation, levelSigmaSiemens
        case readNoise, stuckOffRate, stuckOnRate, drift
    }

    public init() { gmaxSiemens = 100e-6 }

    /// Decodes a preset name (a JSON string) or an object of device values.
    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            preset = name
            return
        }
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decodeIfPresent(String.self, forKey: .preset)
        if preset != nil, let other = c.allKeys.first(where: { $0 != .preset }) {
            throw ConfigError(key: ConfigError.path(decoder.codingPath + [other]),
                              message: "a device names a preset or gives explicit values, not both; copy the preset file into configs/devices under a new name and edit it there")
        }
        presetName = try c.decodeIfPresent(String.self, forKey: .presetName)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        gmaxSiemens = try c.decodeIfPresent(Double.self, forKey: .gmaxSiemens)
        gminSiemens = try c.decodeIfPresent(Double.self, forKey: .gminSiemens)
        onResistanceOhms = try c.decodeIfPresent(Double.self, forKey: .onResistanceOhms)
        offResistanceOhms = try c.decodeIfPresent(Double.self, forKey: .offResistanceOhms)
        dynamicRange = try c.decodeIfPresent(Double.self, forKey: .dynamicRange)
        levels = try c.decodeIfPresent(LevelCount.self, forKey: .levels)
        levelSpacing = try c.decodeIfPresent(LevelSpacing.self, forKey: .levelSpacing)
        levelsSiemens = try c.decodeIfPresent([Double].self, forKey: .levelsSiemens)
        variationModel = try c.decodeIfPresent(VariationModel.self, forKey: .variationModel) ?? variationModel
        variation = try c.decodeIfPresent(Double.self, forKey: .variation)
        levelSigmaSiemens = try c.decodeIfPresent([Double].self, forKey: .levelSigmaSiemens)
        readNoise = try c.decodeIfPresent(Double.self, forKey: .readNoise)
        stuckOffRate = try c.decodeIfPresent(Double.self, forKey: .stuckOffRate)
        stuckOnRate = try c.decodeIfPresent(Double.self, forKey: .stuckOnRate)
        drift = try c.decodeIfPresent(DriftConfig.self, forKey: .drift)
        if preset == nil && levelsSiemens == nil && gmaxSiemens == nil && onResistanceOhms == nil {
            gmaxSiemens = 100e-6
        }
    }

    /// Gmax in siemens: the last measured level, gmaxSiemens or 1 / onResistanceOhms.
    public var maximumSiemens: Double { levelsSiemens?.last ?? gmaxSiemens ?? 1 / onResistanceOhms! }

    /// Gmin in siemens when the device fixes it: the first measured level, gminSiemens or
    /// 1 / offResistanceOhms.
    public var minimumSiemens: Double? { levelsSiemens?.first ?? gminSiemens ?? offResistanceOhms.map { 1 / $0 } }

    /// True when two programmings or two reads of the device differ even with no
    /// programming variation.
    public var hasNoiseBeyondVariation: Bool {
        (readNoise ?? 0) > 0 || (stuckOffRate ?? 0) > 0 || (stuckOnRate ?? 0) > 0
            || (drift.map { $0.exponentStandardDeviation > 0 } ?? false)
    }
}

/// Drift after programming, G(t) = G0 * (t / t0)^(-nu), nu ~ N(exponentMean,
/// exponentStandardDeviation) per cell, clamped at 0. The read time t is the grid axis
/// `grid.readTimeSeconds`; without it the tiles are read at t0.
public struct DriftConfig: Codable, Sendable, Equatable {
    /// The mean drift exponent nu (dimensionless), >= 0.
    public var exponentMean: Double
    /// The spread of nu across cells (dimensionless), >= 0; default 0.
    public var exponentStandardDeviation = 0.0
    /// t0, the time after programming at which G = G0, in seconds; default 1 s.
    public var referenceTimeSeconds = 1.0

    enum CodingKeys: String, CodingKey, CaseIterable {
        case exponentMean, exponentStandardDeviation, referenceTimeSeconds
    }

    public init(exponentMean: Double, exponentStandardDeviation: Double = 0, referenceTimeSeconds: Double = 1) {
        self.exponentMean = exponentMean
        self.exponentStandardDeviation = exponentStandardDeviation
        self.referenceTimeSeconds = referenceTimeSeconds
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exponentMean = try c.decode(Double.self, forKey: .exponentMean)
        exponentStandardDeviation = try c.decodeIfPresent(Double.self, forKey: .exponentStandardDeviation) ?? 0
        referenceTimeSeconds = try c.decodeIfPresent(Double.self, forKey: .referenceTimeSeconds) ?? 1
    }

    /// The drift model, or a `ConfigError` naming the invalid key.
    func model() throws -> ConductanceDrift {
        guard exponentMean.isFinite else {
            throw ConfigError(key: "device.drift.exponentMean", message: "\(exponentMean) is not a number")
        }
        try requireRange(exponentMean, 0...2, key: "device.drift.exponentMean", hint: "a drift exponent nu is >= 0; measured ReRAM values are around 0.001 to 0.1")
        guard exponentStandardDeviation.isFinite else {
            throw ConfigError(key: "device.drift.exponentStandardDeviation", message: "\(exponentStandardDeviation) is not a number")
        }
        try requireRange(exponentStandardDeviation, 0...2, key: "device.drift.exponentStandardDeviation")
        guard referenceTimeSeconds.isFinite, referenceTimeSeconds > 0 else {
            throw ConfigError(key: "device.drift.referenceTimeSeconds", message: "\(referenceTimeSeconds) s is invalid; give a time after programming above 0 s")
        }
        return try ConductanceDrift(exponentMean: exponentMean, exponentStandardDeviation: exponentStandardDeviation,
                                    referenceTimeSeconds: referenceTimeSeconds)
    }
}
