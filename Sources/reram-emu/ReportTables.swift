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
                         m.foldedBatchNormalization ?? "-"])
        }
        let tile = layers.first.map { "\($0.tile)" } ?? "-"
        return "mapping on \(tile) tiles\n" + align(rows)
    }

    static func accuracy(_ points: [PointRecord], floatAccuracy: Double) -> String {
        var rows = [["levels", "variation", "Gmax/Gmin", "trials", "accuracy", "95% CI", "std", "min", "max", "drop"]]
        for p in points {
            rows.append([p.levels, String(format: "%g %%", p.variation * 100), String(format: "%g", p.dynamicRange),
                         "\(p.trials)", percent(p.accuracyMean), "±" + String(format: "%.2f", (p.ci95High - p.ci95Low) / 2 * 100),
                         String(format: "%.2f", p.accuracyStd * 100), percent(p.accuracyMin), percent(p.accuracyMax),
                         String(format: "%.2f", p.accuracyDrop * 100)])
        }
        return String(format: "accuracy in %%, drop in points from the float accuracy %.2f %%\n", floatAccuracy * 100)
            + align(rows)
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%.2f", fraction * 100)
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
