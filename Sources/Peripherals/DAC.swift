/// A digital-to-analog converter driving the word lines with bipolar read voltages.
///
/// An activation x with full scale x_fs becomes the voltage
///
///     V = V_read * x / x_fs                          (ideal)
///     V = V_read * clamp(round(x / x_fs * L), -L, L) / L     (b bits, L = 2^(b-1) - 1)
///
/// with rounding half to even, so negative inputs become negative voltages on the same
/// cycle (bipolar drive).
public struct DAC: Sendable {
    public let resolution: ConverterResolution
    /// V_read, the largest voltage magnitude the DAC drives, in volts.
    public let readVoltageVolts: Float

    /// - Precondition: 2 to 22 bits, so that the signed code range holds -1, 0 and +1;
    ///   a positive read voltage.
    public init(resolution: ConverterResolution, readVoltageVolts: Float) {
        if case .bits(let b) = resolution {
            precondition((2...22).contains(b), "a bipolar DAC needs 2 to 22 bits, got \(b)")
        }
        precondition(readVoltageVolts > 0, "the read voltage must be positive, got \(readVoltageVolts)")
        self.resolution = resolution
        self.readVoltageVolts = readVoltageVolts
    }

    /// Converts `count` activations to voltages, writing into `output`.
    /// Returns the counts of inputs beyond +-x_fs, which a real DAC clips.
    @discardableResult
    public func convert(_ input: UnsafePointer<Float>, count: Int, fullScale: Float,
                        into output: UnsafeMutablePointer<Float>) -> ClipCounts {
        guard let maximumCode = resolution.maximumCode else {
            let gain = readVoltageVolts / fullScale
            for i in 0..<count { output[i] = input[i] * gain }
            return ClipCounts(conversions: count)
        }
        let levels = Float(maximumCode)
        return quantize(input, into: output, count: count, gain: levels / fullScale,
                        step: readVoltageVolts / levels, maximumCode: levels, accumulate: false)
    }
}
