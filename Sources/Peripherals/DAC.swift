/// A digital-to-analog converter driving the word lines with bipolar read voltages.
///
/// An activation x with full scale x_fs becomes the voltage
///
///     V = V_read * x / x_fs                          (ideal)
///     V = V_read * round(u * L) / L, u = clamp(x / x_fs, -1, 1)   (b bits, L = 2^(b-1) - 1)
///
/// so negative inputs become negative voltages on the same cycle (bipolar drive).
public struct DAC: Sendable {
    public let resolution: ConverterResolution
    /// V_read, the largest voltage magnitude the DAC drives, in volts.
    public let readVoltageVolts: Float

    /// - Precondition: at least 2 bits, so that the signed code range holds -1, 0 and +1;
    ///   a positive read voltage.
    public init(resolution: ConverterResolution, readVoltageVolts: Float) {
        if case .bits(let b) = resolution {
            precondition((2...24).contains(b), "a bipolar DAC needs 2 to 24 bits, got \(b)")
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
        var clips = ClipCounts(conversions: count)
        guard let maximumCode = resolution.maximumCode else {
            let gain = readVoltageVolts / fullScale
            for i in 0..<count { output[i] = input[i] * gain }
            return clips
        }
        let levels = Float(maximumCode)
        for i in 0..<count {
            output[i] = readVoltageVolts / fullScale
                * quantizeSymmetric(input[i], fullScale: fullScale, maximumCode: levels, clips: &clips)
        }
        return clips
    }
}
