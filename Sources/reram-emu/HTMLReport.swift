import Foundation

/// report.html: one self-contained page with the plots inlined as SVG, the tables, the
/// hardware, the environment and the study config. It loads nothing and runs no script.
enum HTMLReport {
    /// - Parameters:
    ///   - plots: the plots drawn, with their SVG text; empty when gnuplot was missing.
    ///   - resultsDirectory: shown in the hint for drawing the plots later.
    static func render(_ results: ReportResults, plots: [(Plot, svg: String)], resultsDirectory: String) -> String {
        let name = results.study["name"] as? String ?? "study"
        let sections = [
            "<h1>reram-emu study \(escape(name))</h1>",
            summary(results),
            "<h2>Plots</h2>",
            plots.isEmpty ? missingPlots(resultsDirectory) : plots.enumerated().map { figure($1.0, svg: $1.svg, index: $0) }.joined(separator: "\n"),
            "<h2>Accuracy</h2>",
            HTMLTables.accuracy(results),
            "<h2>Mapping onto tiles</h2>",
            HTMLTables.mapping(results.mapping),
            HTMLTables.farCorner(results.mapping),
            "<h2>Device and converters</h2>",
            HTMLTables.hardware(results.study),
            "<h2>Environment</h2>",
            HTMLTables.environment(results),
            "<h2>Study config</h2>",
            "<pre>\(escape(prettyJSON(results.study)))</pre>",
        ]
        return page(title: "reram-emu: \(name)", body: sections.joined(separator: "\n"))
    }

    static func summary(_ results: ReportResults) -> String {
        let seconds = results.environment.runSeconds
        let text = String(format: "Float accuracy %.2f %% on %d test images. %d grid points, run on %@ in %@ (started %@).",
                          results.floatAccuracy * 100, results.testImages, results.points.count,
                          results.environment.hostname, ProgressReporter.duration(seconds), results.environment.startedAt)
        return "<p>\(escape(text)) Accuracies are in %; the 95 % confidence interval is that of the mean over trials.</p>"
    }

    static func missingPlots(_ directory: String) -> String {
        """
        <p class="notice">No plots: gnuplot was not found when this report was written.
        Install it with <code>apt-get install gnuplot-nox</code>, then run
        <code>reram-emu report \(escape(directory))</code> to draw the plots and rewrite this page.</p>
        """
    }

    /// Formats one plot as a figure: the SVG inlined with its element ids prefixed, so the ids
    /// of several gnuplot SVGs stay unique on one page, and links to the PNG and the script.
    static func figure(_ plot: Plot, svg: String, index: Int) -> String {
        """
        <figure id="\(plot.name)">
        \(inlineSVG(svg, idPrefix: "plot\(index)-"))
        <figcaption>\(escape(plot.caption)). <a href="plots/\(plot.name).png">PNG</a>, <a href="plots/\(plot.name).gp">gnuplot script</a></figcaption>
        </figure>
        """
    }

    /// Strips the XML declaration and DOCTYPE, which are invalid inside HTML, and prefixes the ids.
    static func inlineSVG(_ svg: String, idPrefix: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
            .replacingOccurrences(of: "id='", with: "id='\(idPrefix)")
            .replacingOccurrences(of: "id=\"", with: "id=\"\(idPrefix)")
            .replacingOccurrences(of: "href='#", with: "href='#\(idPrefix)")
            .replacingOccurrences(of: "url(#", with: "url(#\(idPrefix)")
    }

    static func prettyJSON(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
        figure { margin: 1.5em 0; }
        figure svg { width: 100%; height: auto; }
        figcaption { font-size: 0.9em; color: #555; }
        table { border-collapse: collapse; font-size: 0.9em; }
        th, td { border: 1px solid #ddd; padding: 0.2em 0.6em; }
        th { background: #f3f3f3; text-align: left; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
        .notice { background: #fff4d6; border: 1px solid #e0c070; padding: 0.8em; }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
