import Crossbar
import DeviceModel
import Foundation

/// `reram-emu crossbar`: one tile's circuit with wire resistance, as a SPICE netlist or timed.
enum CrossbarCommand {
    static let usage = """
    usage: reram-emu crossbar netlist --rows R --columns C --wire-ohms X [options]
           reram-emu crossbar bench [options]

    netlist writes the SPICE netlist of a random differential tile with wire, driver and
    sense resistance: G+ and G- uniform in [10 uS, 100 uS], inputs uniform in
    [-0.2 V, 0.2 V]. ngspice -b FILE prints the column currents; other SPICE programs run
    its .op analysis and ignore the ngspice .control block. Comment lines at the top give
    the currents reram-emu computes for the same tile, to compare with.

    bench times the nodal solve of a 128 x 128 tile (both arrays) that gives its effective
    conductances with wire resistance.

    netlist options:
      --rows R            word lines (inputs), 1 to 1024 (required)
      --columns C         bit lines (outputs), 1 to 1024 (required)
      --wire-ohms X       word-line segment resistance in ohms, and the bit-line one unless
                          --bit-line-ohms is given (required)
      --bit-line-ohms Y   bit-line segment resistance in ohms (default: X)
      --driver-ohms D     word-line driver output resistance in ohms (default: 0, ideal source)
      --sense-ohms S      sense amplifier input resistance in ohms (default: 0, ideal ground)
      --seed N            seed of the conductances and inputs (default: 1)
      --output FILE       write the netlist to FILE (default: standard output)

    bench options:
      --wire-ohms X       word-line and bit-line segment resistance in ohms (default: 1)
      --driver-ohms D     driver resistance in ohms (default: 0)
      --sense-ohms S      sense resistance in ohms (default: 0)
      --repetitions N     timed solves; the best is reported (default: 3)
    """

    static func run(_ arguments: [String]) throws {
        try dispatchSubcommand(arguments, command: "crossbar", usage: usage,
                               handlers: ["netlist": netlist, "bench": bench])
    }

    static func netlist(_ arguments: [String]) throws {
        let options = try ParsedArguments(
            arguments,
            valueOptions: ["--rows", "--columns", "--wire-ohms", "--bit-line-ohms", "--driver-ohms",
                           "--sense-ohms", "--seed", "--output"],
            flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        let rows = try options.required(options.integer("--rows", in: 1...1024), "--rows R")
        let columns = try options.required(options.integer("--columns", in: 1...1024), "--columns C")
        let wordLineOhms = try options.required(options.ohms("--wire-ohms"), "--wire-ohms X")
        let wires = WireResistance(wordLineSegmentOhms: wordLineOhms,
                                   bitLineSegmentOhms: try options.ohms("--bit-line-ohms") ?? wordLineOhms,
                                   driverOhms: try options.ohms("--driver-ohms") ?? 0,
                                   senseOhms: try options.ohms("--sense-ohms") ?? 0)
        let seed = try options.seed("--seed") ?? 1

        let generator = try RandomGenerator(seed: seed)
        let array = CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 10e-6...100e-6,
                                                generator: generator)
        let voltages = (0..<rows).map { _ in Float(-0.2 + 0.4 * generator.uniform()) }
        let text = try SpiceNetlist.tile(array, wires: wires, voltagesVolts: voltages,
                                         title: "reram-emu crossbar netlist, seed \(seed)",
                                         comments: try expectedCurrents(array, wires: wires, voltages: voltages))
        if let output = options.value("--output") {
            try OutputFolder.checkWritable(URL(fileURLWithPath: output), option: "--output", kind: "file")
            try text.write(to: URL(fileURLWithPath: output), atomically: true, encoding: .utf8)
            log("wrote \(output): \(rows) x \(columns) tile, run it with: ngspice -b \(output)")
        } else {
            print(text, terminator: "")
        }
    }

    /// Returns comment lines with the column currents reram-emu computes for the tile, in
    /// the names ngspice prints, so that a SPICE run can be checked against them.
    static func expectedCurrents(_ array: CrossbarArray, wires: WireResistance, voltages: [Float]) throws -> [String] {
        let wired = try array.withWireResistance(wires)
        var lines = ["reram-emu column currents in amperes, to compare with the printed ones:"]
        for (suffix, selection) in [("p", ConductanceSelection.plus), ("m", .minus)] {
            var currents = [Float](repeating: 0, count: array.columns)
            voltages.withUnsafeBufferPointer { v in
                currents.withUnsafeMutableBufferPointer { i in
                    wired.columnCurrents(voltages: v.baseAddress!, voltageStride: array.rows, batch: 1,
                                         output: i.baseAddress!, outputStride: array.columns, selection: selection)
                }
            }
            for (j, amperes) in currents.enumerated() { lines.append("  i(vsense_\(suffix)_\(j)) = \(amperes)") }
        }
        return lines
    }

    static func bench(_ arguments: [String]) throws {
        let options = try ParsedArguments(
            arguments, valueOptions: ["--wire-ohms", "--driver-ohms", "--sense-ohms", "--repetitions"],
            flagOptions: ["--help"])
        if options.has("--help") {
            print(usage)
            return
        }
        let segmentOhms = try options.ohms("--wire-ohms") ?? 1
        let wires = WireResistance(wordLineSegmentOhms: segmentOhms, bitLineSegmentOhms: segmentOhms,
                                   driverOhms: try options.ohms("--driver-ohms") ?? 0,
                                   senseOhms: try options.ohms("--sense-ohms") ?? 0)
        let repetitions = try options.integer("--repetitions", in: 1...1000) ?? 3
        let result = try WireResistanceBench.measure(rows: 128, columns: 128, wires: wires, repetitions: repetitions)
        print(result.summary)
    }
}

extension ParsedArguments {
    /// Parses the option as a resistance in ohms (finite, >= 0), or returns nil when absent.
    func ohms(_ option: String) throws -> Double? {
        guard let text = value(option) else { return nil }
        guard let ohms = Double(text), ohms.isFinite, ohms >= 0, ohms <= 1e6 else {
            throw UsageError(description: "the value '\(text)' is invalid for \(option); give a resistance from 0 to 1e6 ohms, for example 2.5")
        }
        return ohms
    }

    /// Parses the option as a 64-bit seed, or returns nil when absent.
    func seed(_ option: String) throws -> UInt64? {
        guard let text = value(option) else { return nil }
        guard let seed = UInt64(text) else {
            throw UsageError(description: "the value '\(text)' is invalid for \(option); give an integer from 0 to \(UInt64.max)")
        }
        return seed
    }

    /// Unwraps a required option's value, or throws naming the option.
    func required<Value>(_ value: Value?, _ option: String) throws -> Value {
        guard let value else {
            throw UsageError(description: "missing option \(option); see reram-emu crossbar --help")
        }
        return value
    }
}
