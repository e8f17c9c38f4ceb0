import Accelerator
import DeviceModel
import Foundation

/// The aligned text tables of `reram-emu device`.
enum DeviceTables {
    /// Per level: target, mean and standard deviation in microsiemens, the relative
    /// standard deviation and the overlap with each neighbor in percent.
    static func levels(_ report: DeviceReport) -> String {
        let header = ["level", "target (uS)", "mean (uS)", "std (uS)", "std/target (%)", "overlap below (%)", "overlap above (%)"]
        let rows = report.levels.enumerated().map { k, level in
            [String(k), microsiemens(level.targetSiemens), microsiemens(level.meanSiemens),
             microsiemens(level.standardDeviationSiemens),
             level.targetSiemens > 0 ? String(format: "%.2f", level.standardDeviationSiemens / level.targetSiemens * 100) : "-",
             level.overlapBelow.map(percent) ?? "-", level.overlapAbove.map(percent) ?? "-"]
        }
        return aligned([header] + rows)
    }

    static func summary(_ report: DeviceReport, readNoise: Double) -> String {
        let cells = max(report.faults.cells, 1)
        return [
            "on/off ratio Gmax/Gmin: " + (report.onOffRatio.isFinite ? String(format: "%.3g", report.onOffRatio) : "infinite (Gmin = 0)"),
            String(format: "read noise sigma_r: %g %%", readNoise * 100),
            "stuck-at faults: \(report.faults.stuckOff) stuck-off (at Gmin), \(report.faults.stuckOn) stuck-on (at Gmax) of \(report.faults.cells) cells"
                + String(format: " (%.4f %% and %.4f %%)", Double(report.faults.stuckOff) / Double(cells) * 100,
                         Double(report.faults.stuckOn) / Double(cells) * 100),
        ].joined(separator: "\n")
    }

    /// Formats the goodness of fit per level, then the mean relative standard deviation.
    static func fit(_ fits: [LevelFit]) -> String {
        let header = ["level", "target", "n", "mean (uS)", "std (uS)", "std/mean (%)", "KS D", "KS 5 % critical", "normal at 5 %"]
        let rows = fits.enumerated().map { k, fit in
            [String(k), String(format: "%g", fit.target), String(fit.sampleSize), microsiemens(fit.meanSiemens),
             microsiemens(fit.standardDeviationSiemens),
             fit.meanSiemens > 0 ? String(format: "%.2f", fit.standardDeviationSiemens / fit.meanSiemens * 100) : "-",
             String(format: "%.4f", fit.kolmogorovSmirnov), String(format: "%.4f", fit.kolmogorovSmirnovCritical),
             fit.kolmogorovSmirnov <= fit.kolmogorovSmirnovCritical ? "not rejected" : "rejected"]
        }
        let relative = fits.filter { $0.meanSiemens > 0 }.map { $0.standardDeviationSiemens / $0.meanSiemens }
        let mean = relative.isEmpty ? 0 : relative.reduce(0, +) / Double(relative.count)
        return aligned([header] + rows) + "\n"
            + String(format: "mean relative standard deviation: %.2f %%\n", mean * 100)
            + "KS critical values are Lilliefors' large-sample approximation 0.886 / sqrt(n), for a mean and standard deviation fitted from the same sample."
    }

    static func microsiemens(_ siemens: Double) -> String { String(format: "%.4f", siemens * 1e6) }

    static func percent(_ fraction: Double) -> String { String(format: "%.4f", fraction * 100) }

    /// Right-aligns every column to its widest cell.
    static func aligned(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
