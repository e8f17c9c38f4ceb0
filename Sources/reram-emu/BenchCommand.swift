import Accelerator
import Crossbar
import DeviceModel
import Foundation
import ModelImport
import Peripherals

/// `reram-emu bench`: fixed workloads timed against the float forward pass and the
/// machine's own sgemm rate, measured in the same process.
enum BenchCommand {
    static let usage = """
    usage: reram-emu bench [options]

    Times Monte Carlo trials of the bundled networks (128 x 128 tiles, 64 levels, 5 %
    relative variation, 8-bit DAC and ADC) and prints trials/s, images/s, effective
    GFLOP/s, the machine's sgemm GFLOP/s, the float forward time and peak memory. The
    MNIST workload also times a trial with IR drop (1 ohm wire segments), and the end
    of the run times the effective matrix of one 128 x 128 tile with wire resistance.

    options:
      --threads N    worker threads for the parallel runs (default: all cores)
      --trials N     trials per timed run (default: 8)
      --workload W   mnist, cifar10 or all (default: all)
      --peers FILE   peer timings from scripts/peers/aihwkit_bench.py
                     (default: results/peers/aihwkit.json, skipped when absent)
      --read-noise S relative read noise sigma_r of every cell, a fraction (default: 0);
                     compare runs with and without it for the cost of read noise
    """

    struct Workload {
        var name: String
        var config: String
        var images: Int
    }

    static let workloads = [
        Workload(name: "mnist", config: "configs/mnist-mlp.json", images: 10_000),
        Workload(name: "cifar10", config: "configs/cifar10-cnn.json", images: 1_000),
    ]

    static func run(_ arguments: [String]) throws {
        let options = try ParsedArguments(arguments, valueOptions: ["--threads", "--trials", "--workload", "--peers", "--read-noise"],
                                          flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        let threads = try options.integer("--threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let trials = try options.integer("--trials", in: 1...10_000) ?? 8
        let readNoise = try options.fraction("--read-noise") ?? 0
        let selected = options.value("--workload") ?? "all"
        guard selected == "all" || workloads.contains(where: { $0.name == selected }) else {
            throw UsageError(description: "the value '\(selected)' is invalid for --workload; use mnist, cifar10 or all")
        }
        let machine = MachineRate.measure(threads: threads)
        print(String(format: "machine: OpenBLAS core %@, sgemm 1024^3: %.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d threads",
                     BLAS.coreName, machine.singleThread, machine.allThreads, threads))
        var measured: [String: TrialSeconds] = [:]
        for workload in workloads where selected == "all" || selected == workload.name {
            guard FileManager.default.fileExists(atPath: workload.config) else {
                print("\(workload.name): skipped, \(workload.config) not found (run from the repository root)")
                continue
            }
            measured[workload.name] = try bench(workload, threads: threads, trials: trials, readNoise: readNoise, machine: machine)
        }
        try PeerComparison.print(measured, peersFile: options.value("--peers") ?? PeerComparison.defaultFile)
        let wires = WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 2, driverOhms: 100, senseOhms: 100)
        let irDrop = try WireResistanceBench.measure(rows: 128, columns: 128, wires: wires, repetitions: 3)
        print(String(format: "\nIR drop: effective matrix M of a 128 x 128 tile (both arrays, %@ ohms): %.3f s best of 3, far-corner error %.2f %%",
                     FarCornerReport.wiresText(wires), irDrop.bestSeconds, irDrop.farCornerRelativeError * 100))
        print(String(format: "peak resident memory: %.0f MB", MachineRate.peakResidentMegabytes()))
    }
}
