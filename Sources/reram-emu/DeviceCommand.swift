import Accelerator
import DeviceModel
import Foundation

/// `reram-emu device`: a device preset's emulated level statistics, or a preset fitted to
/// measured conductances.
enum DeviceCommand {
    static let usage = """
    usage: reram-emu device report PRESET [options]
           reram-emu device fit MEASUREMENTS.csv --output PRESET.json

    report programs a virtual array of PRESET's device, --cells cells at every level, reads
    each cell once, and prints per level the target, the mean and standard deviation of the
    reads and the overlap with each neighboring level (the fraction of reads closer to the
    neighbor's target), then the on/off ratio and the stuck-at fault counts. PRESET is a
    name from configs/devices (relative to the current folder) or the path of a .json file.

    fit reads measured conductances, fits each level's mean and standard deviation, prints
    the goodness of fit and writes a preset with the measured levels and a per-level
    variation table. The CSV has a header row, 'level,conductance_siemens' (level index
    from 0) or 'target_siemens,conductance_siemens', then one measurement per row.

    report options:
      --cells N           cells per level, 2 to 100000000 (default: 100000)
      --seed N            seed of the programming and read streams (default: 1)
      --levels N          level count for a preset that has no levels of its own
      --variation S       programming variation sigma (a fraction), when the preset has none
      --dynamic-range D   Gmax / Gmin, when the preset fixes neither Gmin nor a dynamic range
      --read-time T       read time after programming in seconds, for a preset with drift
                          (default: the drift's reference time)

    fit options:
      --output FILE       the preset file to write (required)
    """

    static func run(_ arguments: [String]) throws {
        try dispatchSubcommand(arguments, command: "device", usage: usage,
                               handlers: ["report": report, "fit": fit])
    }

    static func report(_ arguments: [String]) throws {
        let options = try ParsedArguments(
            arguments, valueOptions: ["--cells", "--seed", "--levels", "--variation", "--dynamic-range", "--read-time"],
            flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        guard options.positionals.count == 1 else {
            throw UsageError(description: "device report takes one PRESET, got \(options.positionals.count) arguments\n\n\(usage)")
        }
        let (device, url) = try loadPreset(options.positionals[0])
        let cells = try options.integer("--cells", in: 2...100_000_000) ?? 100_000
        let seed = try options.seed("--seed") ?? 1
        let model = try cellModel(device, options: options)
        let report = try DeviceReport.measure(model, cellsPerLevel: cells, seed: seed)
        print("device \(url.path): \(model.levels.values.count) levels, \(cells) cells per level, seed \(seed)")
        if let source = device.source { print("source: \(source)") }
        print(DeviceTables.levels(report))
        print(DeviceTables.summary(report, readNoise: model.readNoise))
    }

    /// The cell model of a preset for the report, with the options filling what it leaves
    /// to a study grid.
    static func cellModel(_ device: DeviceConfig, options: ParsedArguments) throws -> DeviceCellModel {
        let levels: LevelCount
        if let measured = device.levelsSiemens {
            levels = .quantized(measured.count)
        } else if let count = try options.integer("--levels", in: 2...65_536) {
            levels = .quantized(count)
        } else if let count = device.levels {
            levels = count
        } else {
            throw UsageError(description: "the preset gives no level count; add --levels N")
        }
        guard case .quantized = levels else {
            throw UsageError(description: "the preset's cells are unquantized; add --levels N to report N levels")
        }
        let variation = try options.fraction("--variation") ?? device.variation ?? (device.variationModel == .perLevel ? 1 : nil)
        guard let variation else {
            throw UsageError(description: "the preset gives no programming variation; add --variation S (a fraction, 0.05 is 5 %)")
        }
        let range = try options.positive("--dynamic-range", above: 1) ?? device.dynamicRange
            ?? device.minimumSiemens.map { device.maximumSiemens / $0 }
        guard let range else {
            throw UsageError(description: "the preset fixes neither Gmin nor a dynamic range; add --dynamic-range D (Gmax / Gmin)")
        }
        let readTime = try options.positive("--read-time", above: 0)
        if readTime != nil && device.drift == nil {
            throw UsageError(description: "--read-time is only used with a preset that has drift")
        }
        do {
            return try device.cellModel(levels: levels, variation: variation, dynamicRange: range, readTimeSeconds: readTime)
        } catch {
            throw UsageError(description: "\(error)")
        }
    }

    /// Reads and validates a preset given by name (configs/devices/NAME.json) or path.
    static func loadPreset(_ argument: String) throws -> (DeviceConfig, URL) {
        let isPath = argument.hasSuffix(".json") || argument.contains("/")
        let url = isPath ? URL(fileURLWithPath: argument) : URL(fileURLWithPath: "configs/devices/\(argument).json")
        let name = url.deletingPathExtension().lastPathComponent
        if !isPath && !FileManager.default.fileExists(atPath: "configs/devices") {
            throw UsageError(description: "device preset '\(argument)' is looked up in configs/devices/ under the current folder, which has no such folder; run from the repository root or give the preset's path, such as configs/devices/\(argument).json")
        }
        do {
            return (try DeviceConfig.decodePreset(try StudyLoader.readPreset(url), name: name), url)
        } catch let error as ConfigError {
            throw UsageError(description: "\(url.path): \(error)")
        }
    }

    static func fit(_ arguments: [String]) throws {
        let options = try ParsedArguments(arguments, valueOptions: ["--output"], flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        guard options.positionals.count == 1 else {
            throw UsageError(description: "device fit takes one MEASUREMENTS.csv, got \(options.positionals.count) arguments\n\n\(usage)")
        }
        guard let output = options.value("--output") else {
            throw UsageError(description: "missing option --output PRESET.json; see reram-emu device --help")
        }
        let input = options.positionals[0]
        let text: String
        do {
            text = try String(contentsOfFile: input, encoding: .utf8)
        } catch {
            throw UsageError(description: "cannot read \(input): \(error.localizedDescription)")
        }
        let fits: [LevelFit]
        do {
            fits = try ConductanceMeasurements(csv: text).fit()
        } catch {
            throw UsageError(description: "\(input): \(error); no preset was written")
        }
        print(DeviceTables.fit(fits))
        let count = fits.reduce(0) { $0 + $1.sampleSize }
        let device = DeviceConfig.fitted(fits, source: "Fitted by reram-emu device fit from \(URL(fileURLWithPath: input).lastPathComponent) (\(count) measurements): levelsSiemens are the sample means and levelSigmaSiemens the sample standard deviations of each level; they include any read noise of the measurement.")
        do {
            try device.validate()
        } catch {
            throw UsageError(description: "\(input): the fitted levels do not form a valid preset (\(error)); no preset was written")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try ResultsWriter.writeAtomically(try encoder.encode(device) + Data("\n".utf8), to: URL(fileURLWithPath: output))
        log("wrote \(output): \(fits.count) levels from \(count) measurements")
    }
}

extension ParsedArguments {
    /// Parses the option as a fraction from 0 to 1, or returns nil when absent.
    func fraction(_ option: String) throws -> Double? {
        guard let text = value(option) else { return nil }
        guard let number = Double(text), number.isFinite, (0...1).contains(number) else {
            throw UsageError(description: "the value '\(text)' is invalid for \(option); give a fraction from 0 to 1, for example 0.05")
        }
        return number
    }

    /// Parses the option as a finite number above `lowerBound`, or returns nil when absent.
    func positive(_ option: String, above lowerBound: Double) throws -> Double? {
        guard let text = value(option) else { return nil }
        guard let number = Double(text), number.isFinite, number > lowerBound else {
            throw UsageError(description: "the value '\(text)' is invalid for \(option); give a finite number above \(lowerBound)")
        }
        return number
    }
}
