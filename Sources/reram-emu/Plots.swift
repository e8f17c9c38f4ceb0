import Foundation

/// One figure: gnuplot commands that draw it, with its data inline, and the name of its
/// files in plots/ (NAME.gp, NAME.svg, NAME.png).
struct Plot {
    var name: String
    /// A one-line caption for report.html.
    var caption: String
    /// Data blocks, settings and the plot command; the terminal and output are set around them.
    var commands: String

    /// The whole script: draws the figure once as SVG and again as PNG, into the working directory.
    var script: String {
        """
        # Drawn by reram-emu. Run `gnuplot \(name).gp` in this folder to redraw the SVG and PNG.
        set terminal svg size 900,540 dynamic noenhanced font 'DejaVu Sans,13' background 'white'
        set output '\(name).svg'
        \(commands)
        unset output
        set terminal pngcairo size 900,540 noenhanced font 'DejaVu Sans,10' background 'white'
        set output '\(name).png'
        replot
        unset output

        """
    }
}

/// Pieces of gnuplot scripts shared by the plot kinds.
enum PlotScript {
    /// Tableau 10: distinct hues that stay apart in print and for most colour-blind readers.
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func color(_ index: Int) -> String { colors[index % colors.count] }

    /// Quotes `text` for gnuplot in single quotes, inside which gnuplot reads '' as one quote.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Formats a named data block with one line per row and columns separated by spaces.
    static func dataBlock(_ name: String, _ rows: [[String]]) -> String {
        (["$\(name) << EOD"] + rows.map { $0.joined(separator: " ") } + ["EOD"]).joined(separator: "\n")
    }

    /// Formats a fraction as a percentage for a data column. A non-finite value becomes '?',
    /// which the scripts declare as the missing-data marker.
    static func percent(_ fraction: Double) -> String {
        number(fraction * 100)
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "?"
    }

    /// Formats a dynamic range for titles and file names: 10, 100, 1e6, inf.
    static func rangeLabel(_ range: Double) -> String {
        String(format: "%g", range).replacingOccurrences(of: "+", with: "").replacingOccurrences(of: "e0", with: "e")
    }

    static func variationLabel(_ variation: Double) -> String {
        String(format: "sigma = %g %%", variation * 100)
    }

    static func levelsLabel(_ levels: String) -> String {
        Int(levels) == nil ? levels : "\(levels) levels"
    }

    /// Returns the settings every accuracy plot shares: title, axis labels, legend outside on the right.
    static func accuracyAxes(title: String, xLabel: String) -> String {
        """
        set datafile missing '?'
        set title \(quoted(title))
        set xlabel \(quoted(xLabel))
        set ylabel 'accuracy (%)'
        set key outside right top vertical Left reverse
        set grid
        set style fill transparent solid 0.15 noborder
        """
    }

    /// Returns a plot element that draws the float network's accuracy as a dashed black line.
    static func floatReference(_ floatAccuracy: Double) -> String {
        let value = percent(floatAccuracy)
        return "\(value) with lines dashtype 2 linewidth 1.5 linecolor rgb 'black' title "
            + quoted(String(format: "float accuracy %.2f %%", floatAccuracy * 100))
    }

    /// Returns the plot elements of a curve and its shaded 95 % confidence band. The data block
    /// `block` has the columns x, mean, CI low and CI high, accuracies in %.
    static func curveWithBand(_ block: String, color: String, title: String) -> [String] {
        ["$\(block) using 1:3:4 with filledcurves linecolor rgb '\(color)' notitle",
         "$\(block) using 1:2 with linespoints pointtype 7 pointsize 0.7 linewidth 2 linecolor rgb '\(color)' title \(quoted(title))"]
    }

    /// Joins `elements` into one plot command, an element a line, so the script stays readable.
    static func plotCommand(_ elements: [String]) -> String {
        "plot " + elements.joined(separator: ", \\\n     ")
    }

    /// Returns the data row x, mean, CI low and CI high of a point, accuracies in %.
    static func accuracyRow(x: String, _ point: ReportPoint) -> [String] {
        [x, percent(point.accuracyMean), percent(point.ci95Low), percent(point.ci95High)]
    }
}
