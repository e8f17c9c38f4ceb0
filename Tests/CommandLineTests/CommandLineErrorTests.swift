import Foundation
import Testing

/// Runs the built `reram-emu` executable as a user would.
enum Executable {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable next to the test bundle, which SwiftPM builds into the same folder.
    static var url: URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("reram-emu") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? folder.appendingPathComponent("reram-emu")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:],
                    directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = url
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary folder holding a study config (from configs/mnist-mlp.json with edits) and
/// whatever broken inputs a test writes beside it.
struct Workspace {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reram-emu-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes the MNIST config with absolute paths, a small test set and `edits` applied.
    func writeConfig(_ edits: [(String, String)] = []) throws -> URL {
        var text = try String(contentsOf: Executable.root.appendingPathComponent("configs/mnist-mlp.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../", with: "\"\(Executable.root.path)/")
        for (old, new) in edits {
            #expect(text.contains(old), "the config has no '\(old)' to edit")
            text = text.replacingOccurrences(of: old, with: new)
        }
        let url = folder.appendingPathComponent("study.json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func copyOfRepositoryFile(_ path: String, as name: String, keepingBytes count: Int? = nil) throws -> URL {
        var data = try Data(contentsOf: Executable.root.appendingPathComponent(path))
        if let count { data = data.prefix(count) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    var output: URL { folder.appendingPathComponent("out") }

    /// Runs the study and checks the failure contract: a non-zero exit, one error line
    /// naming `mention`, and no result file.
    func expectFailure(config: URL, mentioning mention: [String]) throws {
        let result = try Executable.run(["run", config.path, "--output", output.path, "--quiet", "--limit", "200"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one error line, got: \(result.stderr)")
        for word in mention {
            #expect(result.stderr.contains(word), "'\(word)' missing from: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("results.csv").path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("results.json").path))
    }
}

@Suite struct CommandLineErrorTests {
    @Test func truncatedIDXFile() throws {
        let workspace = try Workspace()
        let labels = try workspace.copyOfRepositoryFile("data/mnist/t10k-labels-idx1-ubyte.gz", as: "labels.gz", keepingBytes: 3_000)
        let config = try workspace.writeConfig([("\(Executable.root.path)/data/mnist/t10k-labels-idx1-ubyte.gz", labels.path)])
        try workspace.expectFailure(config: config, mentioning: ["labels.gz", "truncated"])
    }

    @Test func wrongMagicNumber() throws {
        let workspace = try Workspace()
        // The label file where images belong: magic 0x00000801 instead of 0x00000803.
        let images = try workspace.copyOfRepositoryFile("data/mnist/t10k-labels-idx1-ubyte.gz", as: "images.gz")
        let config = try workspace.writeConfig([("\(Executable.root.path)/data/mnist/t10k-images-idx3-ubyte.gz", images.path)])
        try workspace.expectFailure(config: config, mentioning: ["images.gz", "dimensions", "expected 3"])
        var raw = Data([0x12, 0x34, 0x08, 0x03])
        raw.append(Data(repeating: 0, count: 12))
        try raw.write(to: images)
        try workspace.expectFailure(config: config, mentioning: ["images.gz", "wrong magic number 0x12340803"])
    }

    @Test func unsupportedOperator() throws {
        let workspace = try Workspace()
        // Same-length renaming keeps the protobuf valid: every Relu becomes a Tanh node.
        var model = try Data(contentsOf: Executable.root.appendingPathComponent("models/mnist-mlp.onnx"))
        let relu = Data("Relu".utf8)
        while let range = model.range(of: relu) { model.replaceSubrange(range, with: Data("Tanh".utf8)) }
        let modelURL = workspace.folder.appendingPathComponent("tanh.onnx")
        try model.write(to: modelURL)
        let config = try workspace.writeConfig([("\(Executable.root.path)/models/mnist-mlp.onnx", modelURL.path)])
        try workspace.expectFailure(config: config, mentioning: ["tanh.onnx", "Tanh", "supported operators: Add"])
    }

    @Test func outputPathsCheckedBeforeWork() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig()
        let file = workspace.folder.appendingPathComponent("afile")
        try Data().write(to: file)
        let run = try Executable.run(["run", config.path, "--output", file.path, "--limit", "10"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--output \(file.path) is a file, not a folder"), "stderr: \(run.stderr)")
        #expect(!run.stdout.contains("mapping on"))
        let missing = workspace.folder.appendingPathComponent("no-such-folder/t.cir")
        let netlist = try Executable.run(["crossbar", "netlist", "--rows", "2", "--columns", "2", "--wire-ohms", "1",
                                          "--output", missing.path])
        #expect(netlist.status == 2)
        #expect(netlist.stderr.contains("no-such-folder does not exist; create it first"), "stderr: \(netlist.stderr)")
    }

    @Test func limitAboveTestSetRejected() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig()
        let result = try Executable.run(["run", config.path, "--output", workspace.output.path, "--quiet", "--limit", "20000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--limit 20000 is above the 10000 images"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("results.csv").path))
    }

    @Test func oneLevelInConfig() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig([("\"levels\": [2,", "\"levels\": [1,")])
        try workspace.expectFailure(config: config, mentioning: ["study.json", "grid.levels[0]", "at least 2 levels"])
    }

    @Test func gminNotBelowGmax() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig([("\"gmaxSiemens\": 1e-4,", "\"gmaxSiemens\": 1e-4, \"gminSiemens\": 1e-4,"),
                                                ("\"dynamicRange\": [10, 100]", "\"dynamicRange\": null")])
        try workspace.expectFailure(config: config, mentioning: ["study.json", "device.gminSiemens", "below Gmax"])
    }

    @Test func dynamicRangeOfOne() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig([("\"dynamicRange\": [10, 100]", "\"dynamicRange\": [1]")])
        try workspace.expectFailure(config: config, mentioning: ["grid.dynamicRange[0]", "Gmin < Gmax"])
    }

    @Test func unknownOption() throws {
        let result = try Executable.run(["run", "configs/mnist-mlp.json", "--thread", "2"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown option '--thread'"))
    }
}

@Suite struct CommandLineRunTests {
    @Test func smallStudyWritesResults() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig([
            ("\"levels\": [2, 4, 8, 16, 32, 64, 128, 256, \"unquantized\"]", "\"levels\": [4, \"unquantized\"]"),
            ("\"variation\": [0, 0.01, 0.02, 0.03, 0.05, 0.10]", "\"variation\": [0, 0.05]"),
            ("\"dynamicRange\": [10, 100]", "\"dynamicRange\": [10]")])
        let result = try Executable.run(["run", config.path, "--output", workspace.output.path, "--limit", "300",
                                         "--trials", "3", "--threads", "2", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let csv = try String(contentsOf: workspace.output.appendingPathComponent("results.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows[0].hasPrefix("point,levels,variation,dynamic_range,tile_rows,tile_columns,wire_segment_ohms,dac_resolution,adc_resolution,adc_range,trials,accuracy_mean"))
        #expect(rows[4].hasPrefix("3,unquantized,0.05,10.0,128,128,0.0,ideal,ideal,worstCase,3,"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.output.appendingPathComponent("results.json"))) as? [String: Any]
        let points = json?["points"] as? [[String: Any]]
        #expect(points?.count == 4)
        #expect((points?[3]["trialAccuracies"] as? [Double])?.count == 3)
        #expect(result.stdout.contains("unquantized"))
    }
}
