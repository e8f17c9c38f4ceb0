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
    public let scheme: DACScheme
    /// V_read, the largest voltage magnitude the DAC drives, in volts.
    public let readVoltageVolts: Float

    /// - Precondition: 2 to 22 bits, so that the signed code range holds -1, 0 and +1;
    ///   a positive read voltage.
    ///   A bit-serial DAC needs a number of bits.
    public init(resolution: ConverterResolution, readVoltageVolts: Float, scheme: DACScheme = .parallel) {
        precondition(scheme == .parallel || resolution != .ideal, "a bit-serial DAC needs a number of bits")
        self.scheme = scheme
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

/// How an input vector reaches the word lines.
public enum DACScheme: String, Sendable, Codable, CaseIterable {
    /// Every input is one multi-bit voltage in one cycle.
    case parallel
    /// One magnitude bit per cycle, least significant first, through a 1-bit DAC that
    /// drives +V_read, 0 or -V_read by the input's sign; the digital path weights cycle k
    /// by 2^k and adds (shift-and-add).
    case bitSerial
}

/// The voltages of one cycle of a bit-serial input, and that cycle's weight in the sum.
public struct VoltagePlane {
    /// The voltages, in the layout of the input.
    public var volts: [Float]
    /// The factor the digital path applies to this cycle's converted result.
    public var weight: Float
}

extension DAC {
    /// The cycles an input batch is applied in. Parallel: one plane, weight 1, as `convert`.
    /// Bit-serial with b bits: the input becomes the sign-magnitude code
    /// q = clamp(round(x / x_fs * L), -L, L), L = 2^(b-1) - 1, and cycle k drives
    /// V = sign(q) * bit_k(|q|) * V_read with weight 2^k / L, for k = 0 ... b - 2, so the
    /// weighted cycles add up to the parallel voltage V_read * q / L.
    public func planes(_ input: UnsafePointer<Float>, count: Int, fullScale: Float) -> (planes: [VoltagePlane], clips: ClipCounts) {
        var clips = ClipCounts()
        let parallel = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            clips = convert(input, count: count, fullScale: fullScale, into: buffer.baseAddress!)
            initialized = count
        }
        guard scheme == .bitSerial, let maximumCode = resolution.maximumCode else {
            return ([VoltagePlane(volts: parallel, weight: 1)], clips)
        }
        let bitCount = Int.bitWidth - maximumCode.leadingZeroBitCount
        let codePerVolt = Float(maximumCode) / readVoltageVolts
        let codes = parallel.map { Int(($0 * codePerVolt).rounded()) }
        let planes = (0..<bitCount).map { k in
            VoltagePlane(volts: codes.map { code in
                (abs(code) >> k) & 1 == 0 ? 0 : (code < 0 ? -readVoltageVolts : readVoltageVolts)
            }, weight: Float(1 << k) / Float(maximumCode))
        }
        return (planes, clips)
    }
}
