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
    /// Conversions whose unclamped code was below -L.
    public var low = 0
    /// Conversions whose unclamped code was above +L.
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

/// Rounds `value / fullScale` to a signed code in [-L, L] and returns the reconstructed
/// value code * fullScale / L, counting codes that had to be clamped.
@inline(__always)
func quantizeSymmetric(_ value: Float, fullScale: Float, maximumCode: Float,
                       clips: inout ClipCounts) -> Float {
    var code = (value / fullScale * maximumCode).rounded(.toNearestOrAwayFromZero)
    if code > maximumCode {
        clips.high += 1
        code = maximumCode
    } else if code < -maximumCode {
        clips.low += 1
        code = -maximumCode
    }
    return code * fullScale / maximumCode
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
