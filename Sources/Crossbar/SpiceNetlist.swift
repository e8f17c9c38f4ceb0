/// SPICE netlists of one tile with its wire resistance, for checking the nodal solver
/// against a circuit simulator. The netlists are tested with ngspice 39 in batch mode
/// (`ngspice -b FILE`).
///
/// The netlist contains both arrays of the differential pair, each with its own drivers and
/// sense amplifiers, driven by shared ideal voltage sources `Vin_i`. Node names are
/// `in_i` (input i), `wp_i_j` / `bp_i_j` (word-line and bit-line node of cell (i, j) in G+)
/// and `wm_i_j` / `bm_i_j` for G-. A cell of conductance G is a resistor of 1 / G ohms, and
/// a cell of 0 S is left out. A wire, driver or sense resistance of 0 ohms is a 0 V source
/// (an exact short), because ngspice 39 replaces a 0-ohm resistor by a small nonzero one.
/// Column currents flow through 0 V sources `Vsense_p_j` / `Vsense_m_j` in series with the
/// sense resistors, so ngspice's `i(Vsense_p_j)` is I+_j in amperes.
///
/// The `.control` block runs the operating point and prints one line per current,
/// `i(vsense_p_3) = 1.234567890123e-05`, which `columnCurrents(ngspiceOutput:columns:)` reads.
public enum SpiceNetlist {
    /// Returns the netlist of `array` with `wires`, input i at `voltagesVolts[i]` volts.
    ///
    /// - Throws: `WireResistanceError.invalidResistance` for a negative or non-finite resistance.
    public static func tile(_ array: CrossbarArray, wires: WireResistance, voltagesVolts: [Float],
                            title: String = "reram-emu crossbar tile",
                            comments: [String] = []) throws(WireResistanceError) -> String {
        precondition(voltagesVolts.count == array.rows, "a tile of \(array.rows) rows needs \(array.rows) input voltages")
        try wires.validate()
        var lines = ["* \(title)",
                     "* \(array.rows) x \(array.columns) differential tile; word-line segment \(wires.wordLineSegmentOhms) ohms, "
                         + "bit-line segment \(wires.bitLineSegmentOhms) ohms, driver \(wires.driverOhms) ohms, "
                         + "sense \(wires.senseOhms) ohms"]
                    + comments.map { "* " + $0 } + ["* inputs"]
        for i in 0..<array.rows {
            lines.append("Vin_\(i) in_\(i) 0 DC \(number(Double(voltagesVolts[i])))")
        }
        lines += arrayLines(array, siemens: array.plusSiemens, suffix: "p", wires: wires)
        lines += arrayLines(array, siemens: array.minusSiemens, suffix: "m", wires: wires)
        // `.op` is the analysis for any SPICE. ngspice runs the `.control` block instead:
        // `run` does the `.op`, and `quit` ends batch mode before it runs the `.op` again.
        lines += [".op", ".control", "set numdgt=12", "run"]
        for suffix in ["p", "m"] {
            for j in 0..<array.columns { lines.append("print i(vsense_\(suffix)_\(j))") }
        }
        lines += ["quit", ".endc", ".end", ""]
        return lines.joined(separator: "\n")
    }

    /// Reads the column currents that the netlist's `.control` block prints.
    ///
    /// - Returns: I+ and I- of every column, in amperes.
    /// - Throws: `SpiceOutputError.missingCurrent` naming the first column without a line.
    public static func columnCurrents(ngspiceOutput: String, columns: Int) throws(SpiceOutputError)
        -> (plusAmperes: [Double], minusAmperes: [Double]) {
        var found: [String: Double] = [:]
        for line in ngspiceOutput.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.filter { $0 != " " && $0 != "\t" } }
            guard parts.count == 2, parts[0].hasPrefix("i(vsense_"), let value = Double(parts[1]) else { continue }
            found[parts[0]] = value
        }
        func currents(_ suffix: String) throws(SpiceOutputError) -> [Double] {
            var result = [Double]()
            for j in 0..<columns {
                let name = "i(vsense_\(suffix)_\(j))"
                guard let value = found[name] else { throw .missingCurrent(name) }
                result.append(value)
            }
            return result
        }
        return try (currents("p"), currents("m"))
    }

    /// Writes the cells, wires, drivers and sense amplifiers of one array, with `suffix` in
    /// every node and element name.
    private static func arrayLines(_ array: CrossbarArray, siemens: [Float], suffix s: String,
                                   wires: WireResistance) -> [String] {
        let rows = array.rows, columns = array.columns
        var lines = ["* array G\(s == "p" ? "+" : "-"): cells"]
        for i in 0..<rows {
            for j in 0..<columns where siemens[i * columns + j] != 0 {
                lines.append("Rcell_\(s)_\(i)_\(j) w\(s)_\(i)_\(j) b\(s)_\(i)_\(j) \(number(1 / Double(siemens[i * columns + j])))")
            }
        }
        lines.append("* word-line segments, then bit-line segments")
        for i in 0..<rows {
            for j in 0..<(columns - 1) {
                lines.append(resistor("wl_\(s)_\(i)_\(j)", "w\(s)_\(i)_\(j)", "w\(s)_\(i)_\(j + 1)", wires.wordLineSegmentOhms))
            }
        }
        for j in 0..<columns {
            for i in 0..<(rows - 1) {
                lines.append(resistor("bl_\(s)_\(i)_\(j)", "b\(s)_\(i)_\(j)", "b\(s)_\(i + 1)_\(j)", wires.bitLineSegmentOhms))
            }
        }
        lines.append("* drivers, then sense amplifiers: a 0 V source measures each column current")
        for i in 0..<rows {
            lines.append(resistor("drv_\(s)_\(i)", "in_\(i)", "w\(s)_\(i)_0", wires.driverOhms))
        }
        for j in 0..<columns {
            let bottom = "b\(s)_\(rows - 1)_\(j)"
            if wires.senseOhms == 0 {
                lines.append("Vsense_\(s)_\(j) \(bottom) 0 DC 0")
            } else {
                lines.append("Vsense_\(s)_\(j) \(bottom) sense_\(s)_\(j) DC 0")
                lines.append("Rsense_\(s)_\(j) sense_\(s)_\(j) 0 \(number(wires.senseOhms))")
            }
        }
        return lines
    }

    /// Writes a resistor named R`name`, or a 0 V source named V`name` when `ohms` is 0.
    private static func resistor(_ name: String, _ a: String, _ b: String, _ ohms: Double) -> String {
        ohms == 0 ? "V\(name) \(a) \(b) DC 0" : "R\(name) \(a) \(b) \(number(ohms))"
    }

    /// Formats a Double as Swift prints it, the shortest decimal that reads back as the same
    /// Double, for example `12345.678` or `1e-05`. SPICE reads both forms, with no unit suffix.
    private static func number(_ value: Double) -> String {
        "\(value)"
    }
}

/// ngspice output that lacks a current the netlist asked for.
public enum SpiceOutputError: Error, CustomStringConvertible, Equatable {
    /// No `name = value` line for the current `name`, for example `i(vsense_p_3)`.
    case missingCurrent(String)

    public var description: String {
        switch self {
        case let .missingCurrent(name):
            "ngspice output has no line '\(name) = <value>'. Check ngspice's output for a netlist or analysis error."
        }
    }
}
