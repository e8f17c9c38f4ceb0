/// An analog-to-digital converter reading column currents over a fixed, signed full-scale
/// range [-I_fs, +I_fs]:
///
///     I' = I                                                 (ideal)
///     I' = I_fs * clamp(round(I / I_fs * L), -L, L) / L      (b bits, L = 2^(b-1) - 1)
///
/// with rounding half to even. The step is I_fs / L amperes. The range is set once (worst
/// case or calibration) and is never rescaled per input vector, as in a real converter.
public struct ADC: Sendable {
    public let resolution: ConverterResolution

    /// - Precondition: 2 to 22 bits, since a signed code needs at least -1, 0 and +1.
    public init(resolution: ConverterResolution) {
        if case .bits(let b) = resolution {
            precondition((2...22).contains(b), "a signed ADC needs 2 to 22 bits, got \(b)")
        }
        self.resolution = resolution
    }

    public var isIdeal: Bool { resolution == .ideal }

    /// Converts `count` currents in place and returns how many codes clipped.
    @discardableResult
    public func convert(_ currents: UnsafeMutablePointer<Float>, count: Int,
                        fullScaleAmperes: Float) -> ClipCounts {
        guard let maximumCode = resolution.maximumCode else { return ClipCounts(conversions: count) }
        let levels = Float(maximumCode)
        return quantize(currents, into: currents, count: count, gain: levels / fullScaleAmperes,
                        step: fullScaleAmperes / levels, maximumCode: levels, accumulate: false)
    }

    /// Converts `count` currents and adds each result times `outputScale` to `target`:
    /// the digital path's accumulation of a tile's columns, fused with the conversion.
    @discardableResult
    public func convertAndAccumulate(_ currents: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
                                     count: Int, fullScaleAmperes: Float, outputScale: Float) -> ClipCounts {
        guard let maximumCode = resolution.maximumCode else {
            for i in 0..<count { target[i] += currents[i] * outputScale }
            return ClipCounts(conversions: count)
        }
        let levels = Float(maximumCode)
        return quantize(currents, into: target, count: count, gain: levels / fullScaleAmperes,
                        step: fullScaleAmperes / levels * outputScale, maximumCode: levels, accumulate: true)
    }

    /// The step between adjacent codes in amperes, or nil for an ideal ADC.
    public func stepAmperes(fullScaleAmperes: Float) -> Float? {
        resolution.maximumCode.map { fullScaleAmperes / Float($0) }
    }
}
