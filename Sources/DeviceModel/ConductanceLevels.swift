/// The number of conductance quantization levels a cell can be programmed to.
public enum LevelCount: Hashable, Sendable, CustomStringConvertible {
    /// N levels evenly spaced in conductance over the window, N >= 2.
    case quantized(Int)
    /// Any conductance within the window (an analog ideal).
    case unquantized

    public var description: String {
        switch self {
        case .quantized(let count): String(count)
        case .unquantized: "unquantized"
        }
    }
}

/// The conductances a cell can be programmed to: G_k = Gmin + k * (Gmax - Gmin) / (N - 1),
/// k = 0 ... N - 1, or the whole window when unquantized.
public struct ConductanceLevels: Sendable {
    public let window: ConductanceWindow
    public let count: LevelCount
    /// The spacing between adjacent levels in siemens; 0 when unquantized.
    public let stepSiemens: Double

    /// - Throws: `DeviceModelError.invalidLevelCount` when N < 2.
    public init(window: ConductanceWindow, count: LevelCount) throws(DeviceModelError) {
        if case .quantized(let n) = count, n < 2 {
            throw .invalidLevelCount(n)
        }
        self.window = window
        self.count = count
        if case .quantized(let n) = count {
            stepSiemens = window.spanSiemens / Double(n - 1)
        } else {
            stepSiemens = 0
        }
    }

    /// Every level in siemens, lowest first; empty when unquantized.
    public var values: [Double] {
        guard case .quantized(let n) = count else { return [] }
        return (0..<n).map { level($0) }
    }

    /// The conductance of level `k` in siemens.
    public func level(_ k: Int) -> Double {
        k == 0 ? window.minimumSiemens : window.minimumSiemens + Double(k) * stepSiemens
    }

    /// Snaps a conductance to the nearest level (ties go up) after clamping it to the window.
    public func nearest(_ siemens: Double) -> Double {
        let clamped = min(max(siemens, window.minimumSiemens), window.maximumSiemens)
        guard case .quantized(let n) = count else { return clamped }
        let index = ((clamped - window.minimumSiemens) / stepSiemens).rounded(.toNearestOrAwayFromZero)
        return level(min(max(Int(index), 0), n - 1))
    }
}

extension LevelCount: Codable {
    /// Decodes an integer N or the string "unquantized".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .quantized(count)
            return
        }
        if let text = try? container.decode(String.self), text == "unquantized" {
            self = .unquantized
            return
        }
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "a level count is an integer >= 2 or the string \"unquantized\"")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .quantized(let count): try container.encode(count)
        case .unquantized: try container.encode("unquantized")
        }
    }
}
