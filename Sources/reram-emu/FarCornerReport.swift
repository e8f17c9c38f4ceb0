import Accelerator
import Crossbar
import Foundation

/// The design-time IR-drop bound of every tile: the far-corner relative error with every
/// cell at Gmax and every input at V_read (see `WireResistance.worstCaseFarCornerError`).
struct FarCornerRecord: Codable, Equatable {
    var wires: WireResistance
    /// One error per tile, a fraction, in tile order (row block after row block).
    var errorByTile: [Double]
}

enum FarCornerReport {
    /// Computes each layer's far-corner errors for every non-ideal wire setting of the study,
    /// by layer in the order of `mappings`. Tiles of the same used shape share one solve.
    static func compute(_ mappings: [LayerMapping], wires: [WireResistance], gmaxSiemens: Double) throws -> [[FarCornerRecord]] {
        var cache: [String: Double] = [:]
        return try mappings.map { m in
            try wires.filter { !$0.isIdeal }.uniqued().map { w in
                var errors: [Double] = []
                for r in 0..<m.rowBlocks {
                    for c in 0..<m.columnBlocks {
                        let (rows, columns) = (m.rowRange(r).count, m.columnRange(c).count)
                        let key = "\(rows)x\(columns) \(w)"
                        if cache[key] == nil {
                            cache[key] = try w.worstCaseFarCornerError(rows: rows, columns: columns,
                                                                       cellSiemens: Float(gmaxSiemens))
                        }
                        errors.append(cache[key]!)
                    }
                }
                return FarCornerRecord(wires: w, errorByTile: errors)
            }
        }
    }

    /// Formats a terminal table: one row per layer, wire setting and used tile shape, with
    /// the tile count and the far-corner error of those tiles.
    static func table(_ mappings: [LayerMapping], records: [[FarCornerRecord]]) -> String {
        var rows = [["layer", "wires (ohm)", "tiles", "used rows x columns", "far-corner error"]]
        for (m, layerRecords) in zip(mappings, records) {
            for record in layerRecords {
                var shapes: [(String, Int, Double)] = []
                for r in 0..<m.rowBlocks {
                    for c in 0..<m.columnBlocks {
                        let shape = "\(m.rowRange(r).count)x\(m.columnRange(c).count)"
                        let error = record.errorByTile[r * m.columnBlocks + c]
                        if let i = shapes.firstIndex(where: { $0.0 == shape }) {
                            shapes[i].1 += 1
                        } else {
                            shapes.append((shape, 1, error))
                        }
                    }
                }
                for (shape, count, error) in shapes {
                    rows.append([m.name, wiresText(record.wires), "\(count)", shape, String(format: "%.2f %%", error * 100)])
                }
            }
        }
        let tile = mappings.first.map { "\($0.tile)" } ?? "-"
        return "IR drop on \(tile) tiles: far-corner current error, every cell at Gmax and every input at V_read\n"
            + ReportTables.align(rows)
    }

    /// "segments 1, driver 0, sense 0", or "segments 1 / 2" when word and bit lines differ.
    static func wiresText(_ w: WireResistance) -> String {
        let segments = w.wordLineSegmentOhms == w.bitLineSegmentOhms
            ? String(format: "segments %g", w.wordLineSegmentOhms)
            : String(format: "word-line segments %g, bit-line segments %g", w.wordLineSegmentOhms, w.bitLineSegmentOhms)
        return "\(segments), driver \(String(format: "%g", w.driverOhms)), sense \(String(format: "%g", w.senseOhms))"
    }
}
