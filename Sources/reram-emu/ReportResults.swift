import Crossbar
import Foundation

/// The parts of results.json that the plots and report.html read. Unknown keys are ignored
/// and the study config stays raw JSON, so results with more config keys or point fields
/// than this version knows still decode.
struct ReportResults: Decodable {
    var version: String
    var environment: RunEnvironment
    var floatAccuracy: Double
    var testImages: Int
    var mapping: [MappingRecord]
    var points: [ReportPoint]
    /// The `study` object of results.json as JSON values, for the config and device tables.
    var study: [String: Any] = [:]

    enum CodingKeys: String, CodingKey {
        case version, environment, floatAccuracy, testImages, mapping, points
    }

    /// Reads `directory`/results.json.
    ///
    /// - Throws: `UsageError` naming the file when it is missing or not results.json.
    static func read(from directory: URL) throws -> ReportResults {
        let url = directory.appendingPathComponent("results.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UsageError(description: "cannot read \(url.path): \(error.localizedDescription); give the output folder of a `reram-emu run`")
        }
        do {
            let decoder = JSONDecoder()
            // An SQNR at the float32 rounding floor is written as "inf".
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            var results = try decoder.decode(ReportResults.self, from: data)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            results.study = object?["study"] as? [String: Any] ?? [:]
            return results
        } catch {
            throw UsageError(description: "\(url.path) is not a results.json written by reram-emu: \(error)")
        }
    }
}

/// One grid point of results.json, with its hardware and per-layer quality in the form
/// the plots use.
@dynamicMemberLookup
struct ReportPoint: Decodable {
    var record: PointRecord
    var tileRows: Int?
    var tileColumns: Int?
    /// ADC resolution in bits; nil for an ideal ADC.
    var adcBits: Int?
    /// Signal quality of each weight layer's output; nil when the run did not measure it.
    var layers: [LayerQuality]?

    init(from decoder: any Decoder) throws {
        record = try PointRecord(from: decoder)
        tileRows = record.tileRows
        tileColumns = record.tileColumns
        adcBits = Int(record.adcResolution)
        layers = record.layers.isEmpty ? nil : record.layers.map {
            LayerQuality(layer: $0.layer, sqnrDecibels: $0.signalToNoiseDecibels, nmse: $0.normalizedMeanSquareError)
        }
    }

    subscript<Value>(dynamicMember keyPath: KeyPath<PointRecord, Value>) -> Value {
        record[keyPath: keyPath]
    }

    /// The level count as a number, or nil for "unquantized".
    var levelCount: Int? { Int(record.levels) }

    /// The hardware that is not on the levels, variation and dynamic range axes.
    var hardware: HardwareKey {
        HardwareKey(tileRows: tileRows, tileColumns: tileColumns, adcBits: adcBits, adcRange: record.adcRange,
                    dacResolution: record.dacResolution, wires: record.wires)
    }
}

/// The hardware of a point besides levels, variation and dynamic range: tile shape,
/// converters and wires. Plots draw one hardware setting at a time.
struct HardwareKey: Hashable {
    var tileRows: Int?
    var tileColumns: Int?
    var adcBits: Int?
    /// The ADC range mode ("worstCase", "calibrated", "fixed"), so plots never mix modes.
    var adcRange: String?
    /// The DAC resolution ("ideal" or bits), so that curves never mix DACs.
    var dacResolution: String? = nil
    /// All four wire resistances; nil for ideal wires.
    var wires: WireResistance? = nil

    var description: String {
        var parts: [String] = []
        if let rows = tileRows { parts.append("tile \(rows)x\(tileColumns ?? rows)") }
        if let bits = adcBits { parts.append("ADC \(bits) bit") }
        if let range = adcRange { parts.append("ADC range \(range)") }
        if let dac = dacResolution, dac != "ideal" { parts.append("DAC \(dac) bit") }
        if let wires { parts.append("wires: \(FarCornerReport.wiresText(wires)) ohms") }
        return parts.joined(separator: ", ")
    }
}

/// The analog output of one weight layer against its float output, averaged over the
/// point's trials: SQNR = 10 log10(signal power / error power) and NMSE = error power / signal power.
struct LayerQuality: Equatable {
    var layer: String
    var sqnrDecibels: Double
    var nmse: Double
}

extension ReportResults {
    /// Dynamic ranges in the order of the grid.
    var dynamicRanges: [Double] { points.map(\.dynamicRange).uniqued() }

    /// Level counts in ascending order, "unquantized" last.
    var levelLabels: [String] {
        points.map(\.levels).uniqued().sorted { a, b in
            switch (Int(a), Int(b)) {
            case let (x?, y?): x < y
            case (_?, nil): true
            default: false
            }
        }
    }

    var variations: [Double] { points.map(\.variation).uniqued().sorted() }

    /// The hardware of the first grid point. The levels, variation and dynamic range plots
    /// show only points with this hardware, so a tile or ADC axis does not mix into their curves.
    var referenceHardware: HardwareKey { points.first?.hardware ?? HardwareKey() }
}

extension Array where Element: Hashable {
    /// Returns the distinct elements in order of first appearance.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
