import DeviceModel

/// The hardware model of one device at one grid point.
public struct DeviceCellModel: Sendable {
    public var levels: ConductanceLevels
    public var cells: CellProgramming
    /// sigma_r, the relative read noise; 0 for none.
    public var readNoise: Double
}

extension DeviceConfig {
    /// Checks every device value against its allowed range, without a study grid (a preset
    /// file, or the device of `reram-emu device report`).
    ///
    /// - Throws: `ConfigError` naming the first invalid key.
    public func validate() throws(ConfigError) {
        do {
            try validateValues()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(key: "device", message: "\(error)")
        }
    }

    func validateValues() throws {
        if let preset {
            throw ConfigError(key: "device.preset", message: "preset '\(preset)' was not loaded; decode the config with a preset loader")
        }
        if let measured = levelsSiemens {
            try validateMeasuredLevels(measured)
        } else {
            try validateWindow()
        }
        try validateVariation()
        for (key, rate) in [("readNoise", readNoise), ("stuckOffRate", stuckOffRate), ("stuckOnRate", stuckOnRate)] {
            guard let rate else { continue }
            guard rate.isFinite else { throw ConfigError(key: "device.\(key)", message: "\(rate) is not a number") }
            try requireRange(rate, 0...1, key: "device.\(key)", hint: "a fraction: 0.01 means 1 %")
        }
        if (stuckOffRate ?? 0) + (stuckOnRate ?? 0) > 1 {
            throw ConfigError(key: "device.stuckOnRate", message: "stuckOffRate + stuckOnRate = \((stuckOffRate ?? 0) + (stuckOnRate ?? 0)) is above 1; the two rates share the cells")
        }
        _ = try drift?.model()
    }

    private func validateMeasuredLevels(_ measured: [Double]) throws {
        let fixed: [(String, Bool)] = [
            ("gmaxSiemens", gmaxSiemens != nil), ("gminSiemens", gminSiemens != nil),
            ("onResistanceOhms", onResistanceOhms != nil), ("offResistanceOhms", offResistanceOhms != nil),
            ("dynamicRange", dynamicRange != nil), ("levels", levels != nil), ("levelSpacing", levelSpacing != nil),
        ]
        if let (key, _) = fixed.first(where: { $0.1 }) {
            throw ConfigError(key: "device.\(key)", message: "the measured levels in device.levelsSiemens fix the window and the level count; remove device.\(key)")
        }
        try requireRange(measured.count, 2...65_536, key: "device.levelsSiemens", unit: "levels")
        do {
            _ = try ConductanceLevels(measuredSiemens: measured)
        } catch {
            throw ConfigError(key: "device.levelsSiemens", message: "\(measured) is invalid; give at least 2 finite conductances from 0 S to 1 S in strictly ascending order")
        }
        guard measured.last! <= 1 else {
            throw ConfigError(key: "device.levelsSiemens", message: "Gmax = \(measured.last!) S is out of range; allowed: above 0 S up to 1 S")
        }
    }

    private func validateWindow() throws {
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
            // Every grid point builds its window from Gmax / Gmin, so Gmin = 0, or a Gmin so
            // small that the ratio overflows to infinity, would pass here and fail at run time.
            guard gmin.isFinite, gmin > 0, gmin < maximumSiemens, (maximumSiemens / gmin).isFinite else {
                throw ConfigError(key: gminSiemens != nil ? "device.gminSiemens" : "device.offResistanceOhms",
                                  message: "Gmin = \(gmin) S must be above 0 and below Gmax = \(maximumSiemens) S, with a finite Gmax / Gmin; lower Gmin or raise Gmax, or give a Gmin above 0")
            }
            if dynamicRange != nil {
                throw ConfigError(key: "device.dynamicRange", message: "the device already fixes Gmin; remove device.dynamicRange or the device's Gmin")
            }
        }
        if let range = dynamicRange, !(range.isFinite && range > 1) {
            throw ConfigError(key: "device.dynamicRange", message: "\(range) is invalid; Gmax / Gmin must be above 1, so that Gmin < Gmax")
        }
        if case .quantized(let n) = levels {
            try requireRange(n, 2...65_536, key: "device.levels", hint: "a cell needs at least 2 levels; use \"unquantized\" for an analog cell")
        }
    }

    private func validateVariation() throws {
        if let sigma = variation {
            guard sigma.isFinite else { throw ConfigError(key: "device.variation", message: "\(sigma) is not a number") }
            try requireRange(sigma, 0...1, key: "device.variation", hint: "variation is a fraction: 0.05 means 5 %")
        }
        guard variationModel == .perLevel else {
            if levelSigmaSiemens != nil {
                throw ConfigError(key: "device.levelSigmaSiemens", message: "only used with \"variationModel\": \"perLevel\"; remove it or set the model")
            }
            return
        }
        guard let measured = levelsSiemens else {
            throw ConfigError(key: "device.variationModel", message: "perLevel variation needs the measured levels in device.levelsSiemens")
        }
        guard let sigmas = levelSigmaSiemens else {
            throw ConfigError(key: "device.levelSigmaSiemens", message: "missing: perLevel variation needs one standard deviation in siemens per level (\(measured.count))")
        }
        guard sigmas.count == measured.count else {
            throw ConfigError(key: "device.levelSigmaSiemens", message: "holds \(sigmas.count) values for \(measured.count) levels; give one standard deviation per level")
        }
        for (k, sigma) in sigmas.enumerated() where !(sigma.isFinite && sigma >= 0) {
            throw ConfigError(key: "device.levelSigmaSiemens[\(k)]", message: "\(sigma) S is invalid; a standard deviation is finite and >= 0 S")
        }
    }

    /// Checks the device against the study grid: which axes it fixes and which it leaves
    /// to the grid.
    func validate(grid: GridConfig) throws {
        try validateValues()
        if let measured = levelsSiemens {
            if grid.dynamicRange != nil {
                throw ConfigError(key: "grid.dynamicRange", message: "the device's measured levels fix Gmin and Gmax; remove grid.dynamicRange")
            }
            if let index = grid.levels.firstIndex(where: { $0 != .quantized(measured.count) }) {
                throw ConfigError(key: "grid.levels[\(index)]", message: "\(grid.levels[index]) does not match the \(measured.count) measured levels of the device; remove grid.levels or write [\(measured.count)]")
            }
        } else if minimumSiemens != nil {
            if grid.dynamicRange != nil {
                throw ConfigError(key: "grid.dynamicRange", message: "the device already fixes Gmin; remove grid.dynamicRange or the device's Gmin")
            }
        } else if grid.dynamicRange == nil && dynamicRange == nil {
            throw ConfigError(key: "grid.dynamicRange", message: "missing: give grid.dynamicRange (Gmax / Gmin), the device's dynamicRange or its gminSiemens")
        }
        if let times = grid.readTimeSeconds {
            guard let drift else {
                throw ConfigError(key: "grid.readTimeSeconds", message: "only used with device.drift; remove it or give the device a drift")
            }
            if times.isEmpty { throw ConfigError(key: "grid.readTimeSeconds", message: "empty; give at least one value") }
            for (i, time) in times.enumerated() {
                guard time.isFinite, time >= drift.referenceTimeSeconds, time <= 1e10 else {
                    throw ConfigError(key: "grid.readTimeSeconds[\(i)]", message: "\(time) s is out of range; allowed: device.drift.referenceTimeSeconds (\(drift.referenceTimeSeconds) s) to 1e10 s")
                }
            }
        }
    }

    /// Builds the cell model of one grid point from validated values.
    ///
    /// - Parameters:
    ///   - dynamicRange: Gmax / Gmin when the device does not fix Gmin; ignored with
    ///     measured levels.
    ///   - readTimeSeconds: t for drift; nil reads at t0.
    public func cellModel(levels count: LevelCount, variation sigma: Double, dynamicRange: Double,
                          readTimeSeconds: Double?) throws(DeviceModelError) -> DeviceCellModel {
        let levels: ConductanceLevels
        if let measured = levelsSiemens {
            levels = try ConductanceLevels(measuredSiemens: measured)
        } else {
            let window = try ConductanceWindow(maximumSiemens: maximumSiemens, dynamicRange: dynamicRange)
            levels = try ConductanceLevels(window: window, count: count, spacing: levelSpacing ?? .conductance)
        }
        let variation = variationModel == .perLevel
            ? try ProgrammingVariation(levels: levels, levelSigmaSiemens: levelSigmaSiemens ?? [], scale: sigma)
            : try ProgrammingVariation(model: variationModel, sigma: sigma, window: levels.window)
        let faults = try StuckAtFaults(stuckOffRate: stuckOffRate ?? 0, stuckOnRate: stuckOnRate ?? 0)
        let driftModel = try drift.map { config throws(DeviceModelError) in
            try ConductanceDrift(exponentMean: config.exponentMean,
                                 exponentStandardDeviation: config.exponentStandardDeviation,
                                 referenceTimeSeconds: config.referenceTimeSeconds)
        }
        let cells = CellProgramming(window: levels.window, variation: variation, faults: faults, drift: driftModel,
                                    readTimeSeconds: readTimeSeconds ?? drift?.referenceTimeSeconds ?? 1)
        return DeviceCellModel(levels: levels, cells: cells, readNoise: readNoise ?? 0)
    }
}
