import Foundation

/// `reram-emu report RESULTS_DIR`: redraws plots/ and rewrites report.html from a saved
/// results.json. `reram-emu run` calls `write(in:)` after saving its results.
enum ReportCommand {
    static let usage = """
    usage: reram-emu report RESULTS_DIR

    Reads RESULTS_DIR/results.json, the output of `reram-emu run`, draws the plots into
    RESULTS_DIR/plots/ (SVG, PNG and the gnuplot script of each) with gnuplot, and writes
    RESULTS_DIR/report.html, a self-contained page with the plots and tables.
    Without gnuplot (`apt-get install gnuplot-nox`) it writes report.html without plots.
    """

    static func run(_ arguments: [String]) throws {
        let options = try ParsedArguments(arguments, valueOptions: [], flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        guard options.positionals.count == 1 else {
            throw UsageError(description: "report takes one RESULTS_DIR, got \(options.positionals.count) arguments\n\n\(usage)")
        }
        try write(in: URL(fileURLWithPath: options.positionals[0]))
    }

    /// Draws the plots of `directory`/results.json into `directory`/plots and writes
    /// `directory`/report.html. When `gnuplot` is nil, it logs how to install gnuplot and
    /// writes the page without plots.
    ///
    /// - Throws: `UsageError` when results.json is missing or unreadable, `GnuplotError`
    ///   when gnuplot rejects a script, and file errors.
    static func write(in directory: URL, gnuplot: URL? = Gnuplot.locate()) throws {
        let results = try ReportResults.read(from: directory)
        let plotsDirectory = directory.appendingPathComponent("plots")
        var drawn: [(Plot, svg: String)] = []
        if let gnuplot {
            let plots = PlotKinds.all(results)
            try FileManager.default.createDirectory(at: plotsDirectory, withIntermediateDirectories: true)
            try Gnuplot.draw(plots, into: plotsDirectory, executable: gnuplot, warning: log)
            drawn = try plots.map { plot in
                (plot, try String(contentsOf: plotsDirectory.appendingPathComponent("\(plot.name).svg"), encoding: .utf8))
            }
        } else {
            log("note: gnuplot not found, so report.html has no plots; \(Gnuplot.installHint), then draw them with `reram-emu report \(directory.path)`")
        }
        let html = HTMLReport.render(results, plots: drawn, resultsDirectory: directory.path)
        try ResultsWriter.writeAtomically(Data(html.utf8), to: directory.appendingPathComponent("report.html"))
        log("wrote \(directory.path)/report.html" + (drawn.isEmpty ? "" : " and \(drawn.count) plot\(drawn.count == 1 ? "" : "s") in \(plotsDirectory.path)"))
    }
}
