import Crossbar
import DeviceModel
import Foundation
import Testing

/// Compares the nodal solver with ngspice on random tiles: every column current of G+ and
/// G-, and every differential current, within 0.1 % relative. `make test-spice` installs
/// ngspice and runs this suite, and plain `make test` skips it.
@Suite struct SpiceValidationTests {
    static let tolerance = 1e-3

    /// The largest relative errors of one comparison.
    struct Comparison: CustomStringConvertible {
        var arrayCurrents = 0.0
        var differentialCurrents = 0.0
        /// The largest relative error of the ideal crossbar's I+, which shows how much the wires matter.
        var idealArrayCurrents = 0.0
        var columns = 0

        var description: String {
            String(format: "largest relative error %.2e over %d I+ and I- currents, %.2e over %d differential currents "
                       + "(ideal crossbar I+: %.2e)",
                   arrayCurrents, 2 * columns, differentialCurrents, columns, idealArrayCurrents)
        }
    }

    @Test(arguments: [8, 32, 64])
    func randomSquareTileMatchesNgspice(size: Int) throws {
        // Segments of 0.5 to 5 ohms, and drivers and sense amplifiers from the same range.
        let generator = try RandomGenerator(seed: UInt64(1000 + size))
        func ohms() -> Double { 0.5 + 4.5 * generator.uniform() }
        let wires = WireResistance(wordLineSegmentOhms: ohms(), bitLineSegmentOhms: ohms(),
                                   driverOhms: ohms(), senseOhms: ohms())
        let comparison = try compare(rows: size, columns: size, wires: wires, generator: generator)
        print("ngspice \(size) x \(size), \(wires): \(comparison)")
        // The check can fail: ignoring the wires misses ngspice by more than the tolerance.
        #expect(comparison.idealArrayCurrents > Self.tolerance)
    }

    @Test(arguments: [
        // Ideal drivers and sense amplifiers: fixed-voltage nodes are eliminated.
        (16, 8, WireResistance(wordLineSegmentOhms: 2, bitLineSegmentOhms: 3, driverOhms: 0, senseOhms: 0)),
        // More columns than rows, so the solver solves per input instead of per column.
        (8, 16, WireResistance(wordLineSegmentOhms: 4, bitLineSegmentOhms: 1, driverOhms: 50, senseOhms: 0)),
        // Ideal word lines: each row is one node behind its driver.
        (12, 12, WireResistance(wordLineSegmentOhms: 0, bitLineSegmentOhms: 2.5, driverOhms: 100, senseOhms: 20)),
        // Ideal bit lines and an ideal driver: only word lines and sense resistors remain.
        (12, 10, WireResistance(wordLineSegmentOhms: 5, bitLineSegmentOhms: 0, driverOhms: 0, senseOhms: 30)),
    ])
    func zeroOhmCasesMatchNgspice(rows: Int, columns: Int, wires: WireResistance) throws {
        let generator = try RandomGenerator(seed: UInt64(rows * 100 + columns))
        let comparison = try compare(rows: rows, columns: columns, wires: wires, generator: generator)
        print("ngspice \(rows) x \(columns), \(wires): \(comparison)")
    }

    /// Draws a tile and inputs, solves it both ways and checks every current.
    func compare(rows: Int, columns: Int, wires: WireResistance, generator: RandomGenerator) throws -> Comparison {
        let array = CrossbarArray.uniformRandom(rows: rows, columns: columns, siemens: 10e-6...100e-6, generator: generator)
        let voltages = (0..<rows).map { _ in Float(-0.2 + 0.4 * generator.uniform()) }
        let netlist = try SpiceNetlist.tile(array, wires: wires, voltagesVolts: voltages)
        let output = try runNgspice(netlist, name: "tile-\(rows)x\(columns)")
        let spice = try SpiceNetlist.columnCurrents(ngspiceOutput: output, columns: columns)

        let wired = try array.withWireResistance(wires)
        let plus = currents(wired, voltages, .plus)
        let minus = currents(wired, voltages, .minus)
        let difference = currents(wired, voltages, .difference)
        let idealPlus = currents(array, voltages, .plus)
        var comparison = Comparison(columns: columns)
        for j in 0..<columns {
            let pairs = [("I+", plus[j], spice.plusAmperes[j]), ("I-", minus[j], spice.minusAmperes[j])]
            for (name, emulated, reference) in pairs {
                let error = abs(Double(emulated) - reference) / abs(reference)
                comparison.arrayCurrents = max(comparison.arrayCurrents, error)
                #expect(error <= Self.tolerance, "\(name) of column \(j): \(emulated) A, ngspice \(reference) A")
            }
            let idealError = abs(Double(idealPlus[j]) - spice.plusAmperes[j]) / abs(spice.plusAmperes[j])
            comparison.idealArrayCurrents = max(comparison.idealArrayCurrents, idealError)
            let reference = spice.plusAmperes[j] - spice.minusAmperes[j]
            let error = abs(Double(difference[j]) - reference) / abs(reference)
            comparison.differentialCurrents = max(comparison.differentialCurrents, error)
            #expect(error <= Self.tolerance, "I+ - I- of column \(j): \(difference[j]) A, ngspice \(reference) A")
        }
        return comparison
    }

    func currents(_ array: CrossbarArray, _ voltages: [Float], _ selection: ConductanceSelection) -> [Float] {
        var output = [Float](repeating: 0, count: array.columns)
        voltages.withUnsafeBufferPointer { v in
            output.withUnsafeMutableBufferPointer { i in
                array.columnCurrents(voltages: v.baseAddress!, voltageStride: array.rows, batch: 1,
                                     output: i.baseAddress!, outputStride: array.columns, selection: selection)
            }
        }
        return output
    }

    /// Runs `ngspice -b` on `netlist` and returns its standard output and error together.
    func runNgspice(_ netlist: String, name: String) throws -> String {
        let executable = try #require(Self.ngspicePath,
                                      "ngspice not found on PATH; run `make test-spice`, which installs Debian's ngspice and runs this suite")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("reram-emu-spice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("\(name).cir")
        try netlist.write(to: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-b", file.path]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "ngspice exited with status \(process.terminationStatus):\n\(output.suffix(2000))")
        return output
    }

    static let ngspicePath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/ngspice" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
