import Accelerator
import Crossbar
import Foundation
import Peripherals

/// Everything a run writes to results.json: the config, the environment, the float
/// reference, the mapping and every trial of every grid point. Accuracies are fractions.
struct StudyResults: Codable {
    var version: String
    var study: StudyConfig
    var environment: RunEnvironment
    var floatAccuracy: Double
    var testImages: Int
    var mapping: [MappingRecord]
    var points: [PointRecord]
}

struct RunEnvironment: Codable {
    var hostname: String
    var operatingSystem: String
    var processorCount: Int
    var threads: Int
    var openBLASCore: String
    var startedAt: String
    var runSeconds: Double
}

/// One weight layer on tiles of the study's size.
struct MappingRecord: Codable {
    var layer: String
    var kind: String
    var matrixRows: Int
    var matrixColumns: Int
    var tileRows: Int
    var tileColumns: Int
    var rowBlocks: Int
    var columnBlocks: Int
    var tiles: Int
    var cellUtilization: Double
    var adcConversionsPerInference: Int
    var dacOperationsPerInference: Int
    var foldedBatchNormalization: String?
    /// With wire resistance: each wire setting's far-corner error bound per tile.
    var farCorner: [FarCornerRecord]?

    init(_ m: LayerMapping, farCorner: [FarCornerRecord] = []) {
        layer = m.name
        kind = m.kind
        matrixRows = m.matrixRows
        matrixColumns = m.matrixColumns
        tileRows = m.tile.rows
        tileColumns = m.tile.columns
        rowBlocks = m.rowBlocks
        columnBlocks = m.columnBlocks
        tiles = m.tileCount
        cellUtilization = m.utilization
        adcConversionsPerInference = m.adcConversionsPerInference
        dacOperationsPerInference = m.dacOperationsPerInference
        foldedBatchNormalization = m.foldedBatchNormalization
        self.farCorner = farCorner.isEmpty ? nil : farCorner
    }
}

/// One grid point: its coordinates, statistics and every trial's accuracy.
struct PointRecord: Codable {
    var point: Int
    var levels: String
    var variation: Double
    var dynamicRange: Double
    var tileRows: Int
    var tileColumns: Int
    /// Word-line and bit-line segment resistance in ohms (0 for ideal wires); the other
    /// resistances of the point are in `wires`.
    var wireSegmentOhms: Double?
    /// All four parasitic resistances of the point; nil for the ideal crossbar.
    var wires: WireResistance?
    var dacResolution: String
    var adcResolution: String
    var adcRange: String
    var trials: Int
    var accuracyMean: Double
    var accuracyStd: Double
    var accuracyMin: Double
    var accuracyMax: Double
    var ci95Low: Double
    var ci95High: Double
    /// Float accuracy minus the mean accuracy, as a fraction.
    var accuracyDrop: Double
    var adcClipLowRate: Double
    var adcClipHighRate: Double
    var dacClipRate: Double
    /// For adaptive trials: "targetReached" or "maximumTrials"; nil for a fixed count.
    var adaptiveStop: String?
    var trialAccuracies: [Double]
    /// Per weight layer: SQNR in dB and NMSE against the float network, averaged over trials.
    var layers: [LayerDistortionSummary]
    /// The read time after programming in seconds, for a device with drift.
    // NOTE: results.csv, the plots and report.html do not show read times or stuck cells yet, so
    // points that differ only in read time overlap in the plots; results.json records both.
    var readTimeSeconds: Double?
    /// Cells stuck at Gmin and at Gmax, summed over the point's trials; nil without faults.
    var stuckOffCells: Int?
    var stuckOnCells: Int?
    /// With wire resistance: the largest far-corner error of any programmed tile in any
    /// trial of the point, a fraction.
    var farCornerErrorMax: Double?

    init(_ result: PointResult, floatAccuracy: Double) {
        let s = result.statistics
        point = result.point.index
        levels = result.point.levels.description
        variation = result.point.variation
        dynamicRange = result.point.dynamicRange
        tileRows = result.point.tile.rows
        tileColumns = result.point.tile.columns
        wireSegmentOhms = result.point.wires.wordLineSegmentOhms
        wires = result.point.wires.isIdeal ? nil : result.point.wires
        dacResolution = Self.resolutionText(result.point.dacResolution)
        adcResolution = Self.resolutionText(result.point.adcResolution)
        adcRange = result.point.adcRange.rawValue
        trials = s.trials
        accuracyMean = s.mean
        accuracyStd = s.standardDeviation
        accuracyMin = s.minimum
        accuracyMax = s.maximum
        ci95Low = s.confidenceLow
        ci95High = s.confidenceHigh
        accuracyDrop = floatAccuracy - s.mean
        let conversions = Double(max(result.adcClips.conversions, 1))
        adcClipLowRate = Double(result.adcClips.low) / conversions
        adcClipHighRate = Double(result.adcClips.high) / conversions
        dacClipRate = Double(result.dacClips.low + result.dacClips.high) / Double(max(result.dacClips.conversions, 1))
        adaptiveStop = result.adaptiveStop?.rawValue
        trialAccuracies = result.accuracies
        layers = result.distortion
        readTimeSeconds = result.point.readTimeSeconds
        farCornerErrorMax = result.records.compactMap(\.farCornerErrorMax).max()
        let faultRecords = result.records.filter { $0.stuckOffCells != nil }
        if !faultRecords.isEmpty {
            stuckOffCells = faultRecords.reduce(0) { $0 + ($1.stuckOffCells ?? 0) }
            stuckOnCells = faultRecords.reduce(0) { $0 + ($1.stuckOnCells ?? 0) }
        }
    }

    /// "ideal" or the number of bits, as the config writes it.
    static func resolutionText(_ resolution: ConverterResolution) -> String {
        switch resolution {
        case .ideal: "ideal"
        case .bits(let b): String(b)
        }
    }

    static let csvHeader = "point,levels,variation,dynamic_range,tile_rows,tile_columns,wire_segment_ohms,dac_resolution,adc_resolution,adc_range,trials,accuracy_mean,accuracy_std,accuracy_min,accuracy_max,ci95_low,ci95_high,accuracy_drop,adc_clip_low_rate,adc_clip_high_rate,dac_clip_rate"

    /// A CSV row; numbers use the shortest text that reads back to the same double.
    var csvRow: String {
        [String(point), levels, "\(variation)", "\(dynamicRange)", String(tileRows), String(tileColumns),
         "\(wireSegmentOhms ?? 0)", dacResolution, adcResolution, adcRange, String(trials), "\(accuracyMean)",
         "\(accuracyStd)", "\(accuracyMin)", "\(accuracyMax)", "\(ci95Low)", "\(ci95High)", "\(accuracyDrop)",
         "\(adcClipLowRate)", "\(adcClipHighRate)", "\(dacClipRate)"].joined(separator: ",")
    }
}

enum ResultsWriter {
    /// Writes results.csv and results.json into `directory`, each through a temporary file
    /// renamed into place, so a reader never sees a half-written file.
    static func write(_ results: StudyResults, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let csv = ([PointRecord.csvHeader] + results.points.map(\.csvRow)).joined(separator: "\n") + "\n"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // An SQNR at the rounding floor is infinite; JSON has no infinity, so it is "inf".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(results)
        try writeAtomically(Data(csv.utf8), to: directory.appendingPathComponent("results.csv"))
        try writeAtomically(json, to: directory.appendingPathComponent("results.json"))
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try data.write(to: temporary)
        try moveIntoPlace(temporary, to: url)
    }

    /// Renames `source` to `destination`, replacing an existing file atomically, as rename(2)
    /// does within one file system. FileManager.replaceItemAt is not used because the Linux
    /// Foundation of Swift 6.3 throws "file doesn't exist" there and deletes the old file.
    static func moveIntoPlace(_ source: URL, to destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: destination.path,
                NSLocalizedDescriptionKey: "cannot rename \(source.path) to \(destination.path): \(String(cString: strerror(errno)))",
            ])
        }
    }
}
