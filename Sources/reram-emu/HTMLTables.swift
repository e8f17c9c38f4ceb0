import Foundation

/// The HTML tables of report.html. Numbers are right-aligned; accuracies are in %.
enum HTMLTables {
    static func accuracy(_ results: ReportResults) -> String {
        let showTile = results.points.contains { $0.tileRows != nil }
        let showADC = results.points.contains { $0.adcBits != nil }
        let showWires = results.points.contains { $0.wires != nil }
        var header = ["point", "levels", "variation sigma (%)", "Gmax/Gmin"]
        if showTile { header.append("tile") }
        if showWires { header += ["wires (ohm)", "far corner of programmed tiles, largest (%)"] }
        if showADC { header.append("ADC (bit)") }
        header += ["trials", "accuracy (%)", "95 % CI (%)", "std (%)", "min (%)", "max (%)", "drop (points)",
                   "ADC clip low", "ADC clip high"]
        let rows = results.points.map { p -> [String] in
            var row = ["\(p.point)", p.levels, String(format: "%g", p.variation * 100), PlotScript.rangeLabel(p.dynamicRange)]
            if showTile { row.append(p.tileRows.map { "\($0)x\(p.tileColumns ?? $0)" } ?? "-") }
            if showWires {
                row.append(p.wires.map(FarCornerReport.wiresText) ?? "ideal")
                row.append(p.farCornerErrorMax.map(percent) ?? "-")
            }
            if showADC { row.append(p.adcBits.map(String.init) ?? "ideal") }
            row += ["\(p.trials)", percent(p.accuracyMean),
                    percent(p.ci95Low) + " to " + percent(p.ci95High), percent(p.accuracyStd),
                    percent(p.accuracyMin), percent(p.accuracyMax), percent(p.accuracyDrop),
                    String(format: "%.2g", p.adcClipLowRate), String(format: "%.2g", p.adcClipHighRate)]
            return row
        }
        let wiresColumn = header.firstIndex(of: "wires (ohm)")
        return table(header, rows, textColumns: Set([1] + (wiresColumn.map { [$0] } ?? [])))
    }

    static func mapping(_ layers: [MappingRecord]) -> String {
        let header = ["layer", "kind", "matrix", "tile", "tiles", "cell utilization (%)",
                      "ADC conversions per inference", "DAC operations per inference", "folded batch norm"]
        let rows = layers.map { m in
            [m.layer, m.kind, "\(m.matrixRows)x\(m.matrixColumns)", "\(m.tileRows)x\(m.tileColumns)",
             "\(m.rowBlocks)x\(m.columnBlocks) = \(m.tiles)", String(format: "%.1f", m.cellUtilization * 100),
             "\(m.adcConversionsPerInference)", "\(m.dacOperationsPerInference)", m.foldedBatchNormalization ?? "-"]
        }
        return table(header, rows, textColumns: [0, 1, 8])
    }

    /// Returns the IR-drop bound of every layer for each wire setting, the far-corner current
    /// error of its tiles with every used cell at Gmax, or "" for a study with ideal wires.
    static func farCorner(_ layers: [MappingRecord]) -> String {
        let rows = layers.flatMap { m in
            (m.farCorner ?? []).map { record in
                [m.layer, "\(m.tileRows)x\(m.tileColumns)", FarCornerReport.wiresText(record.wires), "\(record.errorByTile.count)",
                 String(format: "%.2f", (record.errorByTile.min() ?? 0) * 100),
                 String(format: "%.2f", (record.errorByTile.max() ?? 0) * 100)]
            }
        }
        guard !rows.isEmpty else { return "" }
        let header = ["layer", "tile", "wires (ohm)", "tiles", "far corner at Gmax, smallest (%)", "far corner at Gmax, largest (%)"]
        return "<p>IR drop: the far-corner current error of each tile with every used cell at Gmax and every input at V_read; results.json lists it per tile (mapping[].farCorner).</p>\n"
            + table(header, rows, textColumns: [0, 1, 2])
    }

    /// The grid axes that replace a key of the hardware sections, per key.
    static let sweptKeys: [String: [String]] = [
        "array.tileRows": ["tileSize", "tileRows"],
        "array.tileColumns": ["tileSize", "tileColumns"],
        "array.wordLineSegmentOhms": ["wireSegmentOhms"],
        "array.bitLineSegmentOhms": ["wireSegmentOhms"],
        "dac.resolution": ["dacResolution"],
        "adc.resolution": ["adcResolution"],
        "adc.range": ["adcRange"],
    ]

    /// Lists the device, array, DAC and ADC sections of the study config, one parameter a row.
    /// Keys name their unit, as in the config (gmaxSiemens, readVoltageVolts). A key that a
    /// grid axis sweeps shows the axis and its values instead of the section's single value.
    static func hardware(_ study: [String: Any]) -> String {
        var values: [String: String] = [:]
        for section in ["device", "array", "dac", "adc"] {
            for (key, value) in study[section] as? [String: Any] ?? [:] {
                values["\(section).\(key)"] = jsonText(value)
            }
        }
        let grid = study["grid"] as? [String: Any] ?? [:]
        for (key, axes) in sweptKeys {
            if let axis = axes.first(where: { grid[$0] != nil }) {
                values[key] = "swept: grid.\(axis) = \(jsonText(grid[axis]!))"
            }
        }
        let rows = values.keys.sorted().map { [$0, values[$0]!] }
        return table(["parameter", "value"], rows, textColumns: [0, 1])
    }

    static func environment(_ results: ReportResults) -> String {
        let e = results.environment
        let rows = [
            ["reram-emu version", results.version],
            ["host", e.hostname],
            ["operating system", e.operatingSystem],
            ["processors", "\(e.processorCount)"],
            ["worker threads", "\(e.threads)"],
            ["OpenBLAS core", e.openBLASCore],
            ["study seed", results.study["seed"].map(jsonText) ?? "-"],
            ["trials per point with variation", results.study["trials"].map(jsonText) ?? "-"],
            ["test images", "\(results.testImages)"],
            ["started", e.startedAt],
            ["run time (s)", String(format: "%.1f", e.runSeconds)],
        ]
        return table([], rows, textColumns: [0, 1])
    }

    /// Formats a table whose columns are right-aligned numbers, except `textColumns`; an empty
    /// `header` leaves out the header row.
    static func table(_ header: [String], _ rows: [[String]], textColumns: Set<Int>) -> String {
        let head = header.isEmpty ? [] : ["<tr>" + header.map { "<th>\(HTMLReport.escape($0))</th>" }.joined() + "</tr>"]
        let body = rows.map { row in
            "<tr>" + row.enumerated().map { column, cell in
                let alignment = textColumns.contains(column) ? "" : " class=\"number\""
                return "<td\(alignment)>\(HTMLReport.escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return (["<table>"] + head + body + ["</table>"]).joined(separator: "\n")
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f", fraction * 100)
    }

    /// Formats a JSON value as compact JSON text, or a string without quotes.
    static func jsonText(_ value: Any) -> String {
        if let text = value as? String { return text }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
