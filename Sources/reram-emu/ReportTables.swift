import Accelerator
import Foundation

/// Aligned text tables for the terminal, at most 100 columns wide.
enum ReportTables {
    static func mapping(_ layers: [LayerMapping]) -> String {
        var rows = [["layer", "kind", "matrix", "tiles", "utilization", "ADC conv./inf.", "folded BN"]]
        for m in layers {
            rows.append([m.name, m.kind, "\(m.matrixRows)x\(m.matrixColumns)",
                         "\(m.rowBlocks)x\(m.columnBlocks)=\(m.tileCount)",
                         String(format: "%.1f %%", m.utilization * 100), "\(m.adcConversionsPerInference)",
                         m.foldedBatchNormalization.map(shortNodeName) ?? "-"])
        }
        let tile = layers.first.map { "\($0.tile)" } ?? "-"
        return "mapping on \(tile) tiles\n" + align(rows)
    }

    /// With more than three grid axes shown, min and max are left out to stay within 100
    /// columns; results.csv always has them.
    static func accuracy(_ points: [PointRecord], floatAccuracy: Double) -> String {
        let axes = VaryingAxes(points)
        let range = axes.headers.count <= 3
        var rows = [axes.headers + ["trials", "accuracy", "95% CI", "std"] + (range ? ["min", "max"] : []) + ["drop"]]
        for p in points {
            let spread = range ? [percent(p.accuracyMin), percent(p.accuracyMax)] : []
            rows.append(axes.cells(p) + ["\(p.trials)", percent(p.accuracyMean),
                         "±" + String(format: "%.2f", (p.ci95High - p.ci95Low) / 2 * 100),
                         String(format: "%.2f", p.accuracyStd * 100)] + spread
                         + [String(format: "%.2f", p.accuracyDrop * 100)])
        }
        return String(format: "accuracy in %%, drop in points from the float accuracy %.2f %%\n", floatAccuracy * 100)
            + align(rows)
    }

    /// Per-layer SQNR in dB, one row per grid point; "inf" at the float32 rounding floor.
    static func distortion(_ points: [PointRecord]) -> String {
        guard let layers = points.first?.layers.map(\.layer), !layers.isEmpty else { return "" }
        let axes = VaryingAxes(points)
        var rows = [axes.headers + layers.map { String(shortNodeName($0).suffix(12)) }]
        for p in points {
            rows.append(axes.cells(p) + p.layers.map { layer in
                layer.signalToNoiseDecibels.isInfinite ? "inf" : String(format: "%.1f", layer.signalToNoiseDecibels)
            })
        }
        return "per-layer SQNR in dB against the float network (mean NMSE over trials)\n" + align(rows)
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%.2f", fraction * 100)
    }

    /// Returns the last part of an ONNX node name that is not the operator's own name:
    /// "/features/features.1/BatchNormalization" becomes "features.1", so that the terminal
    /// tables stay narrow. results.json and report.html keep the full name.
    static func shortNodeName(_ name: String) -> String {
        var parts = name.split(separator: "/").map(String.init)
        if parts.count > 1, ["BatchNormalization", "Conv", "Gemm", "MatMul"].contains(parts.last) { parts.removeLast() }
        return parts.last ?? name
    }

    /// Left-aligns the first column and right-aligns the others, two spaces apart.
    static func align(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// The grid axes a table shows: levels and variation always, the others when they vary.
struct VaryingAxes {
    private var columns: [(header: String, cell: (PointRecord) -> String)] = [
        ("levels", { $0.levels }),
        ("variation", { String(format: "%g %%", $0.variation * 100) }),
    ]

    init(_ points: [PointRecord]) {
        let optional: [(String, (PointRecord) -> String)] = [
            ("Gmax/Gmin", { String(format: "%g", $0.dynamicRange) }),
            ("tile", { "\($0.tileRows)x\($0.tileColumns)" }),
            ("wires (ohm)", { $0.wires.map(FarCornerReport.wiresText) ?? "ideal" }),
            ("DAC", { $0.dacResolution }),
            ("ADC", { $0.adcResolution }),
            ("ADC range", { $0.adcRange }),
        ]
        for (header, cell) in optional where Set(points.map(cell)).count > 1 {
            columns.append((header, cell))
        }
    }

    var headers: [String] { columns.map(\.header) }

    func cells(_ point: PointRecord) -> [String] { columns.map { $0.cell(point) } }
}
