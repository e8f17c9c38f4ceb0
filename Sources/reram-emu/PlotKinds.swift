import Foundation

/// The figures of a study, one file per dynamic range for each kind. Accuracy against
/// levels, accuracy against variation and the heat map are drawn when their axes have at
/// least two values. Per-layer SQNR and accuracy against tile size need fields that only
/// some results carry, so they may be left out.
enum PlotKinds {
    static func all(_ results: ReportResults) -> [Plot] {
        results.dynamicRanges.flatMap { range -> [Plot] in
            [accuracyVersusLevels(results, range: range),
             accuracyVersusVariation(results, range: range),
             accuracyHeatMap(results, range: range),
             layerSQNR(results, range: range),
             accuracyVersusTile(results, range: range)].compactMap { $0 }
        }
    }

    /// Selects the points of one dynamic range on the reference hardware.
    ///
    /// NOTE: the levels, variation, heat-map and SQNR plots draw only this first hardware
    /// setting. Other tile sizes, converters and wires appear in the tile plot and the tables.
    static func slice(_ results: ReportResults, range: Double) -> [ReportPoint] {
        let hardware = results.referenceHardware
        return results.points.filter { $0.dynamicRange == range && $0.hardware == hardware }
    }

    static func titleSuffix(_ results: ReportResults, range: Double) -> String {
        var parts = [results.referenceHardware.description]
        // Ideal wires have no label of their own, so name them when other points have wires.
        if results.referenceHardware.wires == nil && results.points.contains(where: { $0.wires != nil }) {
            parts.append("ideal wires")
        }
        let hardware = parts.filter { !$0.isEmpty }.joined(separator: ", ")
        return "Gmax/Gmin = \(PlotScript.rangeLabel(range))" + (hardware.isEmpty ? "" : ", \(hardware)")
    }

    /// (a) Mean accuracy against levels on a log2 axis, one curve per variation with its 95 %
    /// confidence band. Unquantized cells cannot sit on a level axis, so each variation's
    /// unquantized point is a separate square marker with error bars one octave right of the
    /// largest level count, at a tick labelled "unquantized".
    static func accuracyVersusLevels(_ results: ReportResults, range: Double) -> Plot? {
        guard results.levelLabels.count >= 2 else { return nil }
        let points = slice(results, range: range)
        let counts = results.levelLabels.compactMap(Int.init)
        let unquantizedX = 2 * (counts.max() ?? 1)

        var blocks: [String] = []
        var elements: [String] = []
        for (index, variation) in results.variations.enumerated() {
            let series = points.filter { $0.variation == variation }
            let color = PlotScript.color(index)
            let quantized = series.filter { $0.levelCount != nil }.sorted { $0.levelCount! < $1.levelCount! }
            blocks.append(PlotScript.dataBlock("q\(index)", quantized.map { PlotScript.accuracyRow(x: $0.levels, $0) }))
            elements += PlotScript.curveWithBand("q\(index)", color: color, title: PlotScript.variationLabel(variation))
            if let analog = series.first(where: { $0.levelCount == nil }) {
                blocks.append(PlotScript.dataBlock("u\(index)", [PlotScript.accuracyRow(x: "\(unquantizedX)", analog)]))
                elements.append("$u\(index) using 1:2:3:4 with yerrorbars pointtype 5 pointsize 1 linecolor rgb '\(color)' notitle")
            }
        }
        elements.append(PlotScript.floatReference(results.floatAccuracy))

        let tics = (counts.map { "'\($0)' \($0)" } + (results.levelLabels.contains("unquantized") ? ["'unquantized' \(unquantizedX)"] : []))
        let settings = [
            PlotScript.accuracyAxes(title: "Accuracy vs conductance levels, " + titleSuffix(results, range: range),
                                    xLabel: "conductance levels per cell"),
            "set logscale x 2",
            String(format: "set xrange [%g:%g]", Double(counts.min() ?? 1) / 1.5, Double(unquantizedX) * 1.5),
            "set xtics (\(tics.joined(separator: ", ")))",
        ]
        return Plot(name: "accuracy-vs-levels-range-\(PlotScript.rangeLabel(range))",
                    caption: "Accuracy against conductance levels per cell (\(titleSuffix(results, range: range))); shaded: 95 % confidence interval of the mean; squares: unquantized cells",
                    commands: (blocks + settings + [PlotScript.plotCommand(elements)]).joined(separator: "\n"))
    }

    /// (b) Mean accuracy against variation sigma, one curve per level count with its band.
    static func accuracyVersusVariation(_ results: ReportResults, range: Double) -> Plot? {
        guard results.variations.count >= 2 else { return nil }
        let points = slice(results, range: range)
        var blocks: [String] = []
        var elements: [String] = []
        for (index, levels) in results.levelLabels.enumerated() {
            let series = points.filter { $0.levels == levels }.sorted { $0.variation < $1.variation }
            blocks.append(PlotScript.dataBlock("v\(index)", series.map {
                PlotScript.accuracyRow(x: PlotScript.number($0.variation * 100), $0)
            }))
            elements += PlotScript.curveWithBand("v\(index)", color: PlotScript.color(index),
                                                 title: PlotScript.levelsLabel(levels))
        }
        elements.append(PlotScript.floatReference(results.floatAccuracy))
        let settings = PlotScript.accuracyAxes(title: "Accuracy vs programming variation, " + titleSuffix(results, range: range),
                                               xLabel: "programming variation sigma (%)")
        return Plot(name: "accuracy-vs-variation-range-\(PlotScript.rangeLabel(range))",
                    caption: "Accuracy against programming variation (\(titleSuffix(results, range: range))); shaded: 95 % confidence interval of the mean",
                    commands: (blocks + [settings, PlotScript.plotCommand(elements)]).joined(separator: "\n"))
    }

    /// (c) Mean accuracy of every levels x variation cell, printed in the cell. A heat map has
    /// no y value to draw a line at, so the float accuracy is in the title and tops the colour scale, which starts at
    /// the lowest mean so that differences near the top stay visible.
    static func accuracyHeatMap(_ results: ReportResults, range: Double) -> Plot? {
        // gnuplot needs an image grid of at least 2 x 2 cells.
        guard results.levelLabels.count >= 2, results.variations.count >= 2 else { return nil }
        let points = slice(results, range: range)
        let levels = results.levelLabels
        let variations = results.variations
        let top = max(results.floatAccuracy, points.map(\.accuracyMean).max() ?? 0) * 100
        let bottom = (points.map(\.accuracyMean).min() ?? 0) * 100
        var rows: [[String]] = []
        for point in points {
            guard let x = levels.firstIndex(of: point.levels), let y = variations.firstIndex(of: point.variation) else { continue }
            // Cells in the lower half of the scale are dark, so their label is white.
            let textColor = point.accuracyMean * 100 < (bottom + top) / 2 ? "16777215" : "0"
            rows.append(["\(x)", "\(y)", PlotScript.percent(point.accuracyMean), textColor])
        }
        let xTics = levels.enumerated().map { "\(PlotScript.quoted($1)) \($0)" }
        let yTics = variations.enumerated().map { "'\(PlotScript.number($1 * 100))' \($0)" }
        let commands = [
            PlotScript.dataBlock("h", rows),
            "set title " + PlotScript.quoted(String(format: "Mean accuracy (%%), float accuracy %.2f %%, ", results.floatAccuracy * 100)
                                             + titleSuffix(results, range: range)),
            "set xlabel 'conductance levels per cell'",
            "set ylabel 'programming variation sigma (%)'",
            "set cblabel 'mean accuracy (%)'",
            "set xtics (\(xTics.joined(separator: ", ")))",
            "set ytics (\(yTics.joined(separator: ", ")))",
            "set xrange [-0.5:\(Double(levels.count) - 0.5)]",
            "set yrange [-0.5:\(Double(variations.count) - 0.5)]",
            String(format: "set cbrange [%g:%g]", floor(bottom), top),
            "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')",
            "unset key",
            "plot $h using 1:2:3 with image pixels, $h using 1:2:(sprintf('%.1f', $3)):4 with labels textcolor rgb variable",
        ]
        return Plot(name: "accuracy-heatmap-range-\(PlotScript.rangeLabel(range))",
                    caption: "Mean accuracy over levels and variation (\(titleSuffix(results, range: range)))",
                    commands: commands.joined(separator: "\n"))
    }
}
