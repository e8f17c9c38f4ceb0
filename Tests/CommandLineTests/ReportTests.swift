import Crossbar
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import reram_emu
import Testing

/// The hand-made results in Fixtures/report-results.json: levels 4 and unquantized, sigma 0 and
/// 5 %, Gmax/Gmin 10 and 100, tiles 64x64 and 128x128, ADCs of 6 and 8 bits, and per-layer
/// SQNR for layers fc1 and fc2. Float accuracy 97.5 %.
enum ReportFixture {
    static let url = Executable.root.appendingPathComponent("Tests/CommandLineTests/Fixtures/report-results.json")

    /// Creates a fresh temporary folder that contains a copy of the fixture as results.json.
    static func resultsDirectory() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reram-emu-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url, to: folder.appendingPathComponent("results.json"))
        return folder
    }

    /// Finds gnuplot, or fails the test with the fix when gnuplot is not installed.
    static func requireGnuplot() throws -> URL {
        try #require(Gnuplot.locate(), "gnuplot is not installed: run `make test`, which installs gnuplot-nox, or `apt-get install gnuplot-nox`")
    }
}

/// Collects the text of every `<text>` element of an SVG and reports whether it parsed.
final class SVGText: NSObject, XMLParserDelegate {
    private(set) var texts: [String] = []
    private var current: String?
    private(set) var rootElement: String?

    static func parse(_ data: Data) -> (wellFormed: Bool, texts: [String], root: String?) {
        let collector = SVGText()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        let wellFormed = parser.parse()
        return (wellFormed, collector.texts, collector.rootElement)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootElement == nil { rootElement = name }
        if name == "text" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = current {
            texts.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
            current = nil
        }
    }
}

@Suite struct ReportTests {
    /// The texts each plot kind must show: series titles, axis labels and tick labels.
    static let expectedTexts: [String: [String]] = [
        "accuracy-vs-levels": ["sigma = 0 %", "sigma = 5 %", "unquantized", "float accuracy 97.50 %",
                               "conductance levels per cell", "accuracy (%)"],
        "accuracy-vs-variation": ["4 levels", "unquantized", "float accuracy 97.50 %",
                                  "programming variation sigma (%)", "accuracy (%)"],
        "accuracy-heatmap": ["conductance levels per cell", "programming variation sigma (%)", "mean accuracy (%)",
                             "unquantized"],
        "layer-sqnr": ["4 levels", "unquantized", "fc1", "fc2", "weight layer", "SQNR of the layer output (dB)"],
        "accuracy-vs-tile": ["ADC 6 bit", "ADC 8 bit", "64x64", "128x128", "float accuracy 97.50 %",
                             "tile size (rows x columns of cells)", "accuracy (%)"],
    ]

    @Test func everyPlotKindPerDynamicRange() throws {
        let results = try ReportResults.read(from: try ReportFixture.resultsDirectory())
        let names = PlotKinds.all(results).map(\.name)
        let expected = ["10", "100"].flatMap { range in
            ["accuracy-vs-levels", "accuracy-vs-variation", "accuracy-heatmap", "layer-sqnr", "accuracy-vs-tile"]
                .map { "\($0)-range-\(range)" }
        }
        #expect(names == expected)
    }

    @Test func plotsWithoutOptionalFieldsLeftOut() throws {
        var results = try ReportResults.read(from: try ReportFixture.resultsDirectory())
        for index in results.points.indices {
            results.points[index].tileRows = nil
            results.points[index].tileColumns = nil
            results.points[index].adcBits = nil
            results.points[index].layers = nil
        }
        let names = PlotKinds.all(results).map(\.name)
        #expect(names.contains("accuracy-vs-levels-range-10"))
        #expect(!names.contains { $0.hasPrefix("layer-sqnr") })
        #expect(!names.contains { $0.hasPrefix("accuracy-vs-tile") })
    }

    @Test func drawnSVGsWellFormedAndLabelled() throws {
        let gnuplot = try ReportFixture.requireGnuplot()
        let directory = try ReportFixture.resultsDirectory()
        try ReportCommand.write(in: directory, gnuplot: gnuplot)

        let plots = PlotKinds.all(try ReportResults.read(from: directory))
        #expect(plots.count == 10)
        for plot in plots {
            let kind = plot.name.replacingOccurrences(of: #"-range-\d+$"#, with: "", options: .regularExpression)
            let svg = try Data(contentsOf: directory.appendingPathComponent("plots/\(plot.name).svg"))
            let parsed = SVGText.parse(svg)
            #expect(parsed.wellFormed, "\(plot.name).svg is not well-formed XML")
            #expect(parsed.root == "svg", "\(plot.name).svg has root element \(parsed.root ?? "none")")
            for text in Self.expectedTexts[kind] ?? ["(no expected texts for \(kind))"] {
                #expect(parsed.texts.contains(text), "\(plot.name).svg lacks the text '\(text)'")
            }
            let png = try Data(contentsOf: directory.appendingPathComponent("plots/\(plot.name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(plot.name).png is not a PNG file")
        }
    }

    @Test func htmlReportSelfContained() throws {
        let gnuplot = try ReportFixture.requireGnuplot()
        let directory = try ReportFixture.resultsDirectory()
        try ReportCommand.write(in: directory, gnuplot: gnuplot)
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)

        #expect(html.components(separatedBy: "<svg").count - 1 == 10)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<?xml"), "an XML declaration is invalid inside HTML")
        #expect(!html.contains("<!DOCTYPE svg"))
        #expect(!html.contains("src="), "the page must not load any file")
        #expect(!html.contains("<link"))
        #expect(html.contains("fixture-host"))
        #expect(html.contains("Haswell"))
        #expect(html.contains("device.gmaxSiemens"))
        #expect(html.contains("&quot;seed&quot; : 7") || html.contains("&quot;seed&quot;: 7"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func htmlReportWithoutGnuplot() throws {
        let directory = try ReportFixture.resultsDirectory()
        try ReportCommand.write(in: directory, gnuplot: nil)
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)

        #expect(html.contains("apt-get install gnuplot-nox"))
        #expect(html.contains("reram-emu report \(directory.path)"))
        #expect(!html.contains("<svg"))
        #expect(html.contains("<table>"))
    }

    @Test func reportRewrittenInPlace() throws {
        let directory = try ReportFixture.resultsDirectory()
        let report = directory.appendingPathComponent("report.html")
        try ReportCommand.write(in: directory, gnuplot: nil)
        try Data("stale".utf8).write(to: report)

        try ReportCommand.write(in: directory, gnuplot: nil)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func plotsRedrawnInPlace() throws {
        let gnuplot = try ReportFixture.requireGnuplot()
        let directory = try ReportFixture.resultsDirectory()
        try ReportCommand.write(in: directory, gnuplot: gnuplot)
        let svg = directory.appendingPathComponent("plots/accuracy-vs-levels-range-10.svg")
        try Data("stale".utf8).write(to: svg)

        try ReportCommand.write(in: directory, gnuplot: gnuplot)
        let redrawn = try String(contentsOf: svg, encoding: .utf8)
        #expect(redrawn.contains("<svg"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("plots").path)
            .filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "scratch folders left behind: \(leftovers)")
    }

    @Test func reportOfMissingFolderFails() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("reram-emu-missing-\(UUID().uuidString)")
        let result = try Executable.run(["report", missing.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("results.json"))
    }

    @Test func accuracyTableFitsHundredColumns() throws {
        let data = try Data(contentsOf: ReportFixture.url)
        struct Saved: Decodable { var points: [PointRecord] }
        var records = try JSONDecoder().decode(Saved.self, from: data).points
        // The widest values each column can show in practice.
        records[0].levels = "unquantized"
        records[0].variation = 0.125
        records[0].dynamicRange = 1e6
        records[0].accuracyMean = 1
        records[0].ci95Low = 0.5
        records[0].ci95High = 1.5
        records[0].accuracyStd = 0.5
        records[0].accuracyMax = 1
        records[0].accuracyDrop = -0.1234
        records[0].trials = 10_000
        let table = ReportTables.accuracy(records, floatAccuracy: 0.975)
        for line in table.split(separator: "\n") {
            #expect(line.count <= 100, "line of \(line.count) columns: \(line)")
        }
    }
}

@Suite struct FarCornerTableTests {
    func mapping(_ farCorner: String) throws -> MappingRecord {
        let json = """
        {"layer": "fc1", "kind": "dense", "matrixRows": 200, "matrixColumns": 100, "tileRows": 128, "tileColumns": 128,
         "rowBlocks": 2, "columnBlocks": 1, "tiles": 2, "cellUtilization": 0.6, "adcConversionsPerInference": 200,
         "dacOperationsPerInference": 200\(farCorner)}
        """
        return try JSONDecoder().decode(MappingRecord.self, from: Data(json.utf8))
    }

    @Test func tableListsSmallestAndLargestError() throws {
        let wires = "{\"wordLineSegmentOhms\": 1, \"bitLineSegmentOhms\": 1, \"driverOhms\": 0, \"senseOhms\": 0}"
        let html = HTMLTables.farCorner([try mapping(", \"farCorner\": [{\"wires\": \(wires), \"errorByTile\": [0.25, 0.125]}]")])
        #expect(html.contains("segments 1, driver 0, sense 0"))
        #expect(html.contains("12.50"))
        #expect(html.contains("25.00"))
    }

    @Test func idealWiresGiveNoTable() throws {
        #expect(HTMLTables.farCorner([try mapping("")]) == "")
    }

    @Test func unequalSegmentsNameTheirLine() {
        let wires = WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 2, senseOhms: 20)
        #expect(FarCornerReport.wiresText(wires) == "word-line segments 0, bit-line segments 2, driver 0, sense 20")
    }
}

@Suite struct HardwareTableTests {
    @Test func sweptKeysShowTheirAxis() {
        let study: [String: Any] = [
            "array": ["tileRows": 128, "tileColumns": 128, "readVoltageVolts": 0.2],
            "grid": ["tileSize": [32, 64], "wireSegmentOhms": [0, 1.5]],
        ]
        let html = HTMLTables.hardware(study)
        #expect(html.contains("<td>array.tileRows</td><td>swept: grid.tileSize = [32,64]</td>"))
        #expect(html.contains("<td>array.wordLineSegmentOhms</td><td>swept: grid.wireSegmentOhms = [0,1.5]</td>"))
        #expect(html.contains("<td>array.readVoltageVolts</td><td>0.2</td>"))
        #expect(!html.contains(">128<"))
    }

    @Test func unsweptKeysKeepTheirValue() {
        let html = HTMLTables.hardware(["adc": ["resolution": 8, "range": "calibrated"]])
        #expect(html.contains("<td>adc.resolution</td><td>8</td>"))
        #expect(html.contains("<td>adc.range</td><td>calibrated</td>"))
    }
}

@Suite struct AccuracyTableWiresTests {
    /// The report fixture with wires on its first point (1.5 ohm segments, 50 ohm drivers and
    /// a far-corner error of 12.5 %) and ideal wires on the others.
    func resultsWithWires() throws -> ReportResults {
        let folder = try ReportFixture.resultsDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("results.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var points = try #require(object["points"] as? [[String: Any]])
        points[0]["wireSegmentOhms"] = 1.5
        points[0]["wires"] = ["wordLineSegmentOhms": 1.5, "bitLineSegmentOhms": 1.5, "driverOhms": 50, "senseOhms": 0]
        points[0]["farCornerErrorMax"] = 0.125
        object["points"] = points
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return try ReportResults.read(from: folder)
    }

    @Test func wireColumnsShowFarCornerError() throws {
        let html = HTMLTables.accuracy(try resultsWithWires())
        #expect(html.contains("<th>far corner of programmed tiles, largest (%)</th>"))
        #expect(html.contains("<td>segments 1.5, driver 50, sense 0</td><td class=\"number\">12.50</td>"))
        #expect(html.contains("<td>ideal</td><td class=\"number\">-</td>"))
    }

    @Test func plotTitlesNameWholeWireSetting() throws {
        let results = try resultsWithWires()
        #expect(results.points[0].hardware.description.contains("wires: segments 1.5, driver 50, sense 0 ohms"))
        #expect(results.points[1].hardware.wires == nil)
    }
}
