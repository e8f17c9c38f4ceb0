import Foundation

/// A gnuplot run that exited with an error.
struct GnuplotError: Error, CustomStringConvertible {
    var script: String
    var status: Int32
    var output: String

    var description: String {
        "gnuplot failed with status \(status) on \(script): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
    }
}

/// Runs gnuplot as a subprocess to draw `Plot`s.
enum Gnuplot {
    static let installHint = "install it with `apt-get install gnuplot-nox` (Debian)"

    /// Finds the first `gnuplot` executable on PATH; returns nil when there is none.
    static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Draws every plot into `directory` as NAME.svg and NAME.png, with the script beside them
    /// as NAME.gp. gnuplot writes into a private temporary folder and each finished file is
    /// renamed into place, so `directory` never contains a half-written file.
    ///
    /// - Parameter warning: receives gnuplot's stderr for plots that drew with warnings.
    /// - Throws: `GnuplotError` for the first script gnuplot rejects.
    static func draw(_ plots: [Plot], into directory: URL, executable: URL,
                     warning: (String) -> Void) throws {
        let scratch = directory.appendingPathComponent(".drawing-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for plot in plots {
            let script = scratch.appendingPathComponent("\(plot.name).gp")
            try Data(plot.script.utf8).write(to: script)
            let messages = try run(executable, script: script)
            if !messages.isEmpty { warning("gnuplot, \(plot.name).gp: \(messages)") }
            for suffix in ["gp", "svg", "png"] {
                try ResultsWriter.moveIntoPlace(scratch.appendingPathComponent("\(plot.name).\(suffix)"),
                                                to: directory.appendingPathComponent("\(plot.name).\(suffix)"))
            }
        }
    }

    /// Runs one script with its folder as the working directory and returns its stderr.
    private static func run(_ executable: URL, script: URL) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = [script.lastPathComponent]
        process.currentDirectoryURL = script.deletingLastPathComponent()
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GnuplotError(script: script.lastPathComponent, status: process.terminationStatus, output: output)
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
