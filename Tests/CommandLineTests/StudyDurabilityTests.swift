import Foundation
import Testing

/// A study small enough for tests yet long enough to be killed halfway: 3 levels x
/// 3 variations x 2 ranges, 4 trials, 1,000 images.
private func smallStudy(_ workspace: Workspace) throws -> URL {
    try workspace.writeConfig([
        ("\"levels\": [2, 4, 8, 16, 32, 64, 128, 256, \"unquantized\"]", "\"levels\": [4, 16, \"unquantized\"]"),
        ("\"variation\": [0, 0.01, 0.02, 0.03, 0.05, 0.10]", "\"variation\": [0, 0.02, 0.05]"),
        ("\"trials\": 20", "\"trials\": 4")])
}

/// results.json without the fields that record when, where and how fast a run was.
private func resultsWithoutTiming(_ folder: URL) throws -> String {
    let text = try String(contentsOf: folder.appendingPathComponent("results.json"), encoding: .utf8)
    let timing = ["\"runSeconds\"", "\"startedAt\"", "\"threads\"", "\"hostname\""]
    return text.split(separator: "\n").filter { line in !timing.contains { line.contains($0) } }.joined(separator: "\n")
}

private func csv(_ folder: URL) throws -> Data {
    try Data(contentsOf: folder.appendingPathComponent("results.csv"))
}

@Suite(.serialized) struct StudyDurabilityTests {
    @Test func killedThreeTimesThenResumedMatchesUninterrupted() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        let reference = workspace.folder.appendingPathComponent("reference")
        let common = ["--limit", "1000", "--quiet"]
        let clean = try Executable.run(["run", config.path, "--output", reference.path] + common)
        #expect(clean.status == 0, "\(clean.stderr)")

        let resumed = workspace.folder.appendingPathComponent("resumed")
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<3 {
            let process = Process()
            process.executableURL = Executable.url
            process.arguments = ["run", config.path, "--output", resumed.path] + common + (attempt == 0 ? [] : ["--resume"])
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...2.0, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let finish = try Executable.run(["run", config.path, "--output", resumed.path, "--resume"] + common)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try csv(resumed) == csv(reference))
        #expect(try resultsWithoutTiming(resumed) == resultsWithoutTiming(reference))
    }

    @Test func interruptSavesPointsAndSaysHowToResume() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        let process = Process()
        process.executableURL = Executable.url
        process.arguments = ["run", config.path, "--output", workspace.output.path, "--limit", "1000", "--quiet"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Interrupt once the journal exists, that is once the study is under way.
        let journal = workspace.output.appendingPathComponent("journal.jsonl")
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: journal.path) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(message.contains("stopped by SIGINT"))
        #expect(message.contains("--resume"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("results.csv").path))
    }

    @Test func shardsMergeToSingleRun() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        let common = ["--limit", "500", "--quiet"]
        let single = workspace.folder.appendingPathComponent("single")
        #expect(try Executable.run(["run", config.path, "--output", single.path] + common).status == 0)
        let shards = (1...4).map { workspace.folder.appendingPathComponent("shard\($0)") }
        for (i, folder) in shards.enumerated() {
            let run = try Executable.run(["run", config.path, "--output", folder.path, "--shard", "\(i + 1)/4"] + common)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let merged = workspace.folder.appendingPathComponent("merged")
        let merge = try Executable.run(["merge"] + shards.map(\.path) + ["--output", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try csv(merged) == csv(single))
        #expect(try resultsWithoutTiming(merged) == resultsWithoutTiming(single))

        let missing = try Executable.run(["merge", shards[0].path, shards[1].path, shards[3].path, "--output",
                                          workspace.folder.appendingPathComponent("partial").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("shard 3/4 missing"))
        let twice = try Executable.run(["merge"] + shards.map(\.path) + [shards[0].path, "--output",
                                        workspace.folder.appendingPathComponent("twice").path])
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("appear in more than one shard"))
    }

    @Test func outputFolderOfAnotherStudyIsKept() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        let first = try Executable.run(["run", config.path, "--output", workspace.output.path, "--limit", "200", "--quiet"])
        #expect(first.status == 0)
        let again = try Executable.run(["run", config.path, "--output", workspace.output.path, "--limit", "200", "--quiet",
                                        "--trials", "2"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already contains another study (differing keys: trials)"))
        // The folder is checked before the study loads, so no work is done first.
        #expect(!again.stdout.contains("mapping on"))
        let resumeOther = try Executable.run(["run", config.path, "--output", workspace.output.path, "--limit", "200",
                                              "--quiet", "--trials", "2", "--resume"])
        #expect(resumeOther.status != 0)
        #expect(resumeOther.stderr.contains("differing keys: trials"))
    }

    @Test func sameStudyRunsAgainInItsFolder() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        let arguments = ["run", config.path, "--output", workspace.output.path, "--limit", "200", "--quiet"]
        let first = try Executable.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let firstCSV = try csv(workspace.output)
        let second = try Executable.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("holds an earlier run of this study"))
        #expect(try csv(workspace.output) == firstCSV)
    }

    @Test func studyLargerThanMemoryRefusedBeforeWork() throws {
        let workspace = try Workspace()
        let config = try smallStudy(workspace)
        // 1 MB available: the 0.9 MB model needs about three times its size to load.
        let tiny = try Executable.run(["run", config.path, "--output", workspace.output.path, "--quiet"],
                                      environment: ["RERAM_EMU_AVAILABLE_MEMORY_BYTES": "1000000"])
        #expect(tiny.status != 0)
        #expect(tiny.stderr.contains("needs about 3 MB but only 1 MB of memory is available"))
        // 20 MB: the model loads, but the images and two workers' tiles and batches do not fit.
        let small = try Executable.run(["run", config.path, "--output", workspace.output.path, "--quiet", "--threads", "2"],
                                       environment: ["RERAM_EMU_AVAILABLE_MEMORY_BYTES": "20000000"])
        #expect(small.status != 0)
        #expect(small.stderr.contains("this study needs about"))
        #expect(small.stderr.contains("only 19 MB is available"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("journal.jsonl").path))
    }
}
