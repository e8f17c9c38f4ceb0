import Foundation

/// Speed ratios against peers whose trials were timed by scripts/peers/aihwkit_bench.py on
/// the same workloads and settings.
enum PeerComparison {
    static let defaultFile = "results/peers/aihwkit.json"

    /// The peer file: seconds per trial by workload, back end and thread count.
    struct PeerTimings: Decodable {
        var aihwkit: String
        var workloads: [String: [String: [String: Double]]]
    }

    static func print(_ measured: [String: BenchCommand.TrialSeconds], peersFile: String) throws {
        guard FileManager.default.fileExists(atPath: peersFile) else {
            Swift.print("\npeers: \(peersFile) not found; run scripts/peers/aihwkit_bench.py to compare with IBM aihwkit")
            return
        }
        let peers: PeerTimings
        do {
            peers = try JSONDecoder().decode(PeerTimings.self, from: Data(contentsOf: URL(fileURLWithPath: peersFile)))
        } catch {
            throw UsageError(description: "\(peersFile) is not a peer timing file of scripts/peers/aihwkit_bench.py: \(error)")
        }
        Swift.print("\npeers (aihwkit \(peers.aihwkit), seconds per trial from \(peersFile)):")
        for (workload, ours) in measured.sorted(by: { $0.key < $1.key }) {
            for (backEnd, timings) in (peers.workloads[workload] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for (threads, seconds) in ours.sorted(by: { $0.key < $1.key }) {
                    guard let peer = timings[String(threads)] else { continue }
                    Swift.print(String(format: "  %@, aihwkit %@ tile, %d thread(s): %.3f s against %.3f s per trial: reram-emu %.1f x faster",
                                       workload, backEnd, threads, peer, seconds, peer / seconds))
                }
            }
        }
    }
}
