import Foundation
import Testing

/// The presets shipped in configs/devices.
private let presetNames: [String] = {
    let folder = Executable.root.appendingPathComponent("configs/devices")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
}()

private func presetObject(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: Executable.root.appendingPathComponent("configs/devices/\(name).json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite struct DeviceCommandTests {
    @Test(arguments: presetNames)
    func studyRecordsPresetContent(name: String) throws {
        let workspace = try Workspace()
        let devices = workspace.folder.appendingPathComponent("devices")
        try FileManager.default.createDirectory(at: devices, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Executable.root.appendingPathComponent("configs/devices/\(name).json"),
                                         to: devices.appendingPathComponent("\(name).json"))
        let preset = try presetObject(name)
        let grid = preset["levelsSiemens"] == nil ? #""levels": [4], "variation": [0.02]"# : #""variation": [1]"#
        let config = try workspace.writeConfig([
            ("\"device\": {\n    \"gmaxSiemens\": 1e-4,\n    \"variationModel\": \"relative\"\n  }", "\"device\": \"\(name)\""),
            ("\"levels\": [2, 4, 8, 16, 32, 64, 128, 256, \"unquantized\"],\n    \"variation\": [0, 0.01, 0.02, 0.03, 0.05, 0.10],\n    \"dynamicRange\": [10, 100]", grid),
            ("\"trials\": 20", "\"trials\": 2"),
        ])
        let run = try Executable.run(["run", config.path, "--output", workspace.output.path, "--limit", "200", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")

        let results = try Data(contentsOf: workspace.output.appendingPathComponent("results.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: results) as? [String: Any])
        let study = try #require(object["study"] as? [String: Any])
        let device = try #require(study["device"] as? [String: Any])
        #expect(device["presetName"] as? String == name)
        #expect(device["preset"] == nil)
        for (key, value) in preset {
            #expect(device[key] != nil, "results.json lacks the preset's \(key)")
            if let number = value as? Double { #expect(device[key] as? Double == number, "\(key)") }
            if let text = value as? String { #expect(device[key] as? String == text, "\(key)") }
            if let list = value as? [Double] { #expect(device[key] as? [Double] == list, "\(key)") }
        }
        // The journal header records the same device.
        let journal = try String(contentsOf: workspace.output.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(journal.split(separator: "\n").first?.contains("\"presetName\":\"\(name)\"") == true)
    }

    @Test func missingPresetNamesFolderContents() throws {
        let workspace = try Workspace()
        let config = try workspace.writeConfig([
            ("\"device\": {\n    \"gmaxSiemens\": 1e-4,\n    \"variationModel\": \"relative\"\n  }", "\"device\": \"nosuch\""),
        ])
        try workspace.expectFailure(config: config, mentioning: ["study.json", "device.preset", "nosuch.json does not exist"])
    }

    @Test func presetNameOutsideRepositoryRootSaysWhere() throws {
        let result = try Executable.run(["device", "report", "generic"], directory: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.stderr.contains("run from the repository root or give the preset's path"), "stderr: \(result.stderr)")
    }

    @Test func reportPrintsAlignedLevelTable() throws {
        let result = try Executable.run(["device", "report", Executable.root.appendingPathComponent("configs/devices/generic.json").path,
                                         "--levels", "4", "--variation", "0.05", "--cells", "2000"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("level") })
        let table = lines[header...header + 4]
        // Every row of the table has the header's width, so the columns line up.
        #expect(Set(table.map(\.count)).count == 1, "\(table)")
        #expect(lines[header + 1].contains("10.0000"))
        #expect(result.stdout.contains("on/off ratio Gmax/Gmin: 10"))
        #expect(result.stdout.contains("stuck-at faults: 0 stuck-off"))
    }

    @Test func reportNeedsLevelCount() throws {
        let result = try Executable.run(["device", "report", Executable.root.appendingPathComponent("configs/devices/generic.json").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--levels N"))
    }

    @Test func fitWritesPresetThatReports() throws {
        let workspace = try Workspace()
        var csv = "level,conductance_siemens\n"
        for k in 0..<3 {
            for i in 0..<50 { csv += "\(k),\(Double(10 + 20 * k) * 1e-6 + Double(i % 5 - 2) * 1e-7)\n" }
        }
        let input = workspace.folder.appendingPathComponent("measured.csv")
        try csv.write(to: input, atomically: true, encoding: .utf8)
        let output = workspace.folder.appendingPathComponent("fitted.json")
        let fit = try Executable.run(["device", "fit", input.path, "--output", output.path])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("KS D"))
        #expect(fit.stdout.contains("mean relative standard deviation"))
        let preset = try presetObject(output)
        #expect((preset["levelsSiemens"] as? [Double])?.count == 3)
        #expect(preset["variationModel"] as? String == "perLevel")
        let report = try Executable.run(["device", "report", output.path, "--cells", "1000"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("3 levels"))
    }

    @Test func fitReportsBadRowsAndWritesNothing() throws {
        let workspace = try Workspace()
        let csv = "level,conductance_siemens\n0,1e-6\n0,2e-6\n1,oops\n1,-3e-6\n1,3e-6,4\n1,nan\n1,5e-6\n"
        let input = workspace.folder.appendingPathComponent("bad.csv")
        try csv.write(to: input, atomically: true, encoding: .utf8)
        let output = workspace.folder.appendingPathComponent("never.json")
        let fit = try Executable.run(["device", "fit", input.path, "--output", output.path])
        #expect(fit.status != 0)
        for line in ["line 4: conductance_siemens 'oops'", "line 5: conductance_siemens -3e-6 is negative",
                     "line 6: has 3 columns", "line 7: conductance_siemens 'nan'", "no preset was written"] {
            #expect(fit.stderr.contains(line), "'\(line)' missing from: \(fit.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}

private func presetObject(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
}
