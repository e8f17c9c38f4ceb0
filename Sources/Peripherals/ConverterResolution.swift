/// The resolution of a DAC or ADC: a number of bits, or an ideal converter that passes
/// values through unchanged. In JSON an ideal converter is the string "ideal" and a real
/// one an integer number of bits; 0 bits is not a way to write "ideal".
public enum ConverterResolution: Hashable, Sendable, CustomStringConvertible {
    case ideal
    case bits(Int)

    public var description: String {
        switch self {
        case .ideal: "ideal"
        case .bits(let count): "\(count) bit"
        }
    }

    /// The largest code magnitude of a signed, symmetric b-bit converter: 2^(b-1) - 1.
    /// Codes run from -L to +L, so 0 is exact and the range is symmetric.
    public var maximumCode: Int? {
        guard case .bits(let b) = self else { return nil }
        return (1 << (b - 1)) - 1
    }
}

/// How many conversions clipped at either end of a converter's range.
public struct ClipCounts: Hashable, Sendable, Codable {
    /// Conversions of inputs below the bin of code -L, that is below -(L + 1/2) steps.
    public var low = 0
    /// Conversions of inputs above the bin of code +L, that is above (L + 1/2) steps.
    public var high = 0
    /// All conversions counted.
    public var conversions = 0

    public init(low: Int = 0, high: Int = 0, conversions: Int = 0) {
        self.low = low
        self.high = high
        self.conversions = conversions
    }

    public static func += (lhs: inout ClipCounts, rhs: ClipCounts) {
        lhs.low += rhs.low
        lhs.high += rhs.high
        lhs.conversions += rhs.conversions
    }
}

/// The inner loop of both converters: each scaled input u = source[i] * gain becomes the
/// code clamp(round(u), -L, L), rounded half to even, and code * step is written to
/// `target` (added to it when `accumulate`). A conversion clips when |u| > L + 1/2, that is
/// when the input lies beyond the bins of the extreme codes.
///
/// Rounding adds and subtracts 1.5 * 2^23, which rounds half to even for |u| < 2^22 in
/// IEEE single precision; u is clamped to +-L <= 2^23 first. This keeps the loop free of
/// library calls, so the compiler vectorizes it on any x86-64 or ARM target.
@inline(__always)
func quantize(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int,
              gain: Float, step: Float, maximumCode: Float, accumulate: Bool) -> ClipCounts {
    precondition(maximumCode < 4_194_304, "the rounding trick needs codes below 2^22")
    typealias Lanes = SIMD8<Float>
    let roundingConstant = Lanes(repeating: 12_582_912)
    let highest = Lanes(repeating: maximumCode)
    let clipLimit = Lanes(repeating: maximumCode + 0.5)
    var lowCounts = SIMD8<Int32>.zero
    var highCounts = SIMD8<Int32>.zero
    let vectorEnd = count - count % Lanes.scalarCount
    var i = 0
    // Eight conversions at a time; explicit SIMD because the scalar loop does not vectorize.
    while i < vectorEnd {
        let scaled = UnsafeRawPointer(source + i).loadUnaligned(as: Lanes.self) * gain
        highCounts &+= SIMD8<Int32>.zero.replacing(with: 1, where: scaled .> clipLimit)
        lowCounts &+= SIMD8<Int32>.zero.replacing(with: 1, where: scaled .< -clipLimit)
        var clamped = scaled.replacing(with: highest, where: scaled .> highest)
        clamped.replace(with: -highest, where: scaled .< -highest)
        var value = ((clamped + roundingConstant) - roundingConstant) * step
        let destination = UnsafeMutableRawPointer(target + i)
        if accumulate { value += destination.loadUnaligned(as: Lanes.self) }
        destination.storeBytes(of: value, as: Lanes.self)
        i += Lanes.scalarCount
    }
    var low = Int(lowCounts.wrappedSum())
    var high = Int(highCounts.wrappedSum())
    while i < count {
        let scaled = source[i] * gain
        high += scaled > maximumCode + 0.5 ? 1 : 0
        low += scaled < -(maximumCode + 0.5) ? 1 : 0
        let clamped = min(max(scaled, -maximumCode), maximumCode)
        let value = ((clamped + 12_582_912) - 12_582_912) * step
        target[i] = accumulate ? target[i] + value : value
        i += 1
    }
    return ClipCounts(low: low, high: high, conversions: count)
}

extension ConverterResolution: Codable {
    /// Decodes an integer number of bits or the string "ideal".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bits = try? container.decode(Int.self) {
            self = .bits(bits)
            return
        }
        if let text = try? container.decode(String.self), text == "ideal" {
            self = .ideal
            return
        }
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "a resolution is a number of bits (an integer) or the string \"ideal\"")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .ideal: try container.encode("ideal")
        case .bits(let bits): try container.encode(bits)
        }
    }
}
