import Foundation

/// The plots that need per-point fields beyond levels, variation and dynamic range:
/// `layers` for per-layer SQNR, `tileRows`, `tileColumns` and `adcBits` for tile size.
extension PlotKinds {
    /// (d) SQNR of each weight layer as clustered bars, one bar per level count, at the
    /// smallest non-zero variation of the grid (zero when it is the only one) on the
    /// reference hardware. Level counts whose SQNR is infinite in every layer (no distortion
    /// at all) have no bar. Nil when no point of this dynamic range has `layers`.
    static func layerSQNR(_ results: ReportResults, range: Double) -> Plot? {
        let points = slice(results, range: range)
        let variations = points.filter { $0.layers != nil }.map(\.variation)
        guard let variation = variations.filter({ $0 > 0 }).min() ?? variations.min() else { return nil }
        let series = results.levelLabels.compactMap { levels in
            points.first { $0.levels == levels && $0.variation == variation && $0.layers != nil }
        }.filter { point in point.layers!.contains { $0.sqnrDecibels.isFinite } }
        guard !series.isEmpty else { return nil }
        let layerNames = series.flatMap { $0.layers!.map(\.layer) }.uniqued()
        let rows = layerNames.map { name in
            ["\"\(name.replacingOccurrences(of: "\"", with: "'"))\""] + series.map { point in
                PlotScript.number(point.layers!.first { $0.layer == name }?.sqnrDecibels ?? .nan)
            }
        }
        let elements = series.enumerated().map { index, point in
            "$l using \(index + 2)\(index == 0 ? ":xtic(1)" : "") linecolor rgb '\(PlotScript.color(index))' title \(PlotScript.quoted(PlotScript.levelsLabel(point.levels)))"
        }

        let context = "\(PlotScript.variationLabel(variation)), " + titleSuffix(results, range: range)
        let commands = [
            PlotScript.dataBlock("l", rows),
            "set datafile missing '?'",
            "set title " + PlotScript.quoted("Per-layer SQNR, " + context),
            "set xlabel 'weight layer'",
            "set ylabel 'SQNR of the layer output (dB)'",
            "set key outside right top vertical Left reverse",
            "set grid ytics",
            "set style data histograms",
            "set style histogram clustered gap 1",
            "set style fill solid 0.85 border -1",
            "set xtics rotate by -20",
            "set yrange [0:*]",
            PlotScript.plotCommand(elements),
        ]
        return Plot(name: "layer-sqnr-range-\(PlotScript.rangeLabel(range))",
                    caption: "SQNR of each weight layer's output against its float output (\(context))",
                    commands: commands.joined(separator: "\n"))
    }

    /// (e) Mean accuracy against tile rows on a log2 axis, one curve per ADC resolution, with
    /// 95 % confidence error bars. Nil unless this dynamic range has at least two tile sizes.
    static func accuracyVersusTile(_ results: ReportResults, range: Double) -> Plot? {
        let candidates = results.points.filter { $0.dynamicRange == range && $0.tileRows != nil }
        guard Set(candidates.map(\.tileRows)).count >= 2 else { return nil }
        // NOTE: only one levels x variation slice is drawn, at the finest quantized level count
        // and the smallest sigma, because that isolates the tile and ADC effects. The tables
        // in report.html list the other slices.
        let levels = candidates.compactMap(\.levelCount).max().map(String.init) ?? "unquantized"
        let variation = candidates.map(\.variation).min()!
        let points = candidates.filter { $0.levels == levels && $0.variation == variation }
        // One curve per ADC resolution, range mode, DAC resolution and wire setting, so that
        // no line mixes points of different hardware.
        let converters = points.map(ConverterKey.init).uniqued()
            .sorted { ($0.range, $0.dac, $0.wiresLabel, $0.bits ?? .max) < ($1.range, $1.dac, $1.wiresLabel, $1.bits ?? .max) }
        let modes = Set(converters.map(\.range)).count
        let wireValues = Set(converters.map(\.wiresLabel)).count
        let dacValues = Set(converters.map(\.dac)).count

        var blocks: [String] = []
        var elements: [String] = []
        for (index, converter) in converters.enumerated() {
            let series = points.filter { ConverterKey($0) == converter }
                .sorted { $0.tileRows! < $1.tileRows! }
            blocks.append(PlotScript.dataBlock("t\(index)", series.map { PlotScript.accuracyRow(x: "\($0.tileRows!)", $0) }))
            let bitsTitle = converter.bits.map { "ADC \($0) bit" } ?? "ideal ADC"
            var title = modes > 1 ? "\(bitsTitle), \(converter.range)" : bitsTitle
            if dacValues > 1 { title += ", DAC \(converter.dac)" }
            if wireValues > 1 { title += ", wires " + converter.wiresLabel }
            // The second range mode reuses the first one's colors, dashed.
            let modeIndex = converters.filter { $0.range == converter.range }.firstIndex(of: converter)!
            let dash = modes > 1 && converter.range != converters[0].range ? " dashtype 2" : ""
            elements.append("$t\(index) using 1:2:3:4 with yerrorlines pointtype 7 pointsize 0.7 linewidth 2\(dash) linecolor rgb '\(PlotScript.color(modeIndex))' title \(PlotScript.quoted(title))")
        }
        elements.append(PlotScript.floatReference(results.floatAccuracy))

        let shapes = points.map { HardwareKey(tileRows: $0.tileRows, tileColumns: $0.tileColumns) }.uniqued()
        let tics = shapes.map { "'\($0.tileRows!)x\($0.tileColumns ?? $0.tileRows!)' \($0.tileRows!)" }
        let context = "\(PlotScript.levelsLabel(levels)), \(PlotScript.variationLabel(variation)), Gmax/Gmin = \(PlotScript.rangeLabel(range))"
        let rowsRange = points.compactMap(\.tileRows)
        let settings = [
            PlotScript.accuracyAxes(title: "Accuracy vs tile size, " + context, xLabel: "tile size (rows x columns of cells)"),
            "set logscale x 2",
            String(format: "set xrange [%g:%g]", Double(rowsRange.min()!) / 1.5, Double(rowsRange.max()!) * 1.5),
            "set xtics (\(tics.joined(separator: ", ")))",
        ]
        return Plot(name: "accuracy-vs-tile-range-\(PlotScript.rangeLabel(range))",
                    caption: "Accuracy against tile size, one curve per converter setting and wire resistance (\(context)); error bars: 95 % confidence interval of the mean",
                    commands: (blocks + settings + [PlotScript.plotCommand(elements)]).joined(separator: "\n"))
    }
}

/// The ADC resolution, range mode, DAC resolution and wires of one curve of the tile plot.
private struct ConverterKey: Hashable {
    var bits: Int?
    var range: String
    var dac: String
    /// The wire resistances as a label ("ideal" for ideal wires).
    var wiresLabel: String

    init(_ point: ReportPoint) {
        bits = point.adcBits
        range = point.adcRange
        dac = point.dacResolution
        wiresLabel = point.wires.map { FarCornerReport.wiresText($0) + " ohms" } ?? "ideal"
    }
}
