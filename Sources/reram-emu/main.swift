import CMalloc
import Foundation

let reramEmuVersion = "0.1.0"

let usage = """
usage: reram-emu COMMAND [options]

commands:
  run CONFIG     run a Monte Carlo study (reram-emu run --help for options)
  merge DIR...   combine the output folders of a study's shards into its results
  report DIR     draw the plots and report.html of a finished run's output folder
  bench          time fixed workloads against the machine (reram-emu bench --help)
  device         report a device preset's levels or fit one to measurements (reram-emu device --help)
  crossbar       write a tile's SPICE netlist or time its IR-drop solve (reram-emu crossbar --help)
  version        print the version

Example: reram-emu run configs/mnist-mlp.json
"""

/// Runs a subcommand and turns every error into one line on stderr and a non-zero exit.
func main() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    guard let command = arguments.first else {
        print(usage)
        return 2
    }
    arguments.removeFirst()
    do {
        switch command {
        case "run": try RunCommand.run(arguments)
        case "report": try ReportCommand.run(arguments)
        case "bench": try BenchCommand.run(arguments)
        case "merge": try MergeCommand.run(arguments)
        case "crossbar": try CrossbarCommand.run(arguments)
        case "device": try DeviceCommand.run(arguments)
        case "version", "--version": print("reram-emu \(reramEmuVersion)")
        case "help", "--help", "-h": print(usage)
        default: throw UsageError(description: "unknown command '\(command)'\n\n\(usage)")
        }
        return 0
    } catch let error as InterruptedError {
        log("reram-emu: \(error.description)")
        return 130
    } catch let error as UsageError {
        log("reram-emu: error: \(error.description)")
        return 2
    } catch let error as CocoaError {
        // A file operation failed after the checks: name the file, not Foundation's dump.
        let path = error.filePath ?? error.url?.path ?? "a file"
        log("reram-emu: error: \(path): \(error.localizedDescription); check the path and its permissions")
        return 1
    } catch {
        log("reram-emu: error: \(error)")
        return 1
    }
}

/// Keeps freed batch buffers in the heap instead of returning them to the kernel. A study
/// allocates the same large im2col and product buffers for every batch. With glibc's
/// defaults, an allocation above the mmap threshold (at most 32 MiB) is a fresh mapping
/// whose pages fault in and are zeroed again. Under `perf` that was a fifth of a CIFAR-10 trial.
func keepBatchBuffersInHeap() {
    let limit: Int32 = 1 << 30
    mallopt(M_MMAP_THRESHOLD, limit)
    mallopt(M_TRIM_THRESHOLD, limit)
}

keepBatchBuffersInHeap()
exit(main())
