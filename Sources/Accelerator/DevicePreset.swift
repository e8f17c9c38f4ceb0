import Foundation

extension DeviceConfig {
    /// Decodes and validates the preset `name` from the bytes `loader` returns. The result
    /// records `name` in `presetName`. A preset holds device values only: it cannot name
    /// another preset.
    ///
    /// - Throws: `ConfigError` with a key under `device` and a message naming the preset.
    public static func loadPreset(named name: String, loader: (String) throws -> Data) throws(ConfigError) -> DeviceConfig {
        guard isValidPresetName(name) else {
            throw ConfigError(key: "device.preset", message: "'\(name)' is not a preset name; use letters, digits, '-' and '_' (the file configs/devices/NAME.json)")
        }
        let data: Data
        do {
            data = try loader(name)
        } catch {
            throw ConfigError(key: "device.preset", message: "cannot load preset '\(name)': \(error)")
        }
        var device = try decodePreset(data, name: name)
        device.presetName = name
        return device
    }

    /// Decodes and validates the contents of one preset file.
    ///
    /// - Throws: `ConfigError` whose key starts with `device` and whose message names the preset.
    public static func decodePreset(_ data: Data, name: String) throws(ConfigError) -> DeviceConfig {
        func inPreset(_ error: ConfigError) -> ConfigError {
            let key = error.key == "(file)" ? "device" : "device." + error.key
            let place = error.key == "(file)" ? "in the device preset file devices/\(name).json next to the config" : "device preset '\(name)'"
            return ConfigError(key: key, message: error.message + " (\(place))")
        }
        let device: DeviceConfig
        do {
            device = try StudyConfig.decodeJSON(data)
        } catch {
            throw inPreset(error)
        }
        if device.preset != nil || device.presetName != nil {
            throw ConfigError(key: "device.preset", message: "names a preset itself, but a preset file contains device values only (device preset '\(name)')")
        }
        do {
            try device.validate()
        } catch {
            throw ConfigError(key: error.key, message: error.message + " (device preset '\(name)')")
        }
        return device
    }

    /// True for names made of letters, digits, '-' and '_', so a name never leaves the
    /// preset folder.
    public static func isValidPresetName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_"
        }
    }
}
