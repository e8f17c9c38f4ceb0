import Foundation

/// A study configuration that is invalid: the key path, the value and what is allowed.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The dotted key path, for example `grid.levels[0]`.
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }

    /// The dotted path of a coding path, with array indices in brackets.
    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path.isEmpty ? key.stringValue : path + "." + key.stringValue
        }
    }

    /// Rewrites a `DecodingError` as a one-line message that names the key.
    static func from(_ error: DecodingError) -> ConfigError {
        switch error {
        case let .typeMismatch(type, context):
            ConfigError(key: path(context.codingPath),
                        message: "expected \(typeName(type)), \(found(context.debugDescription)); \(example(type))")
        case let .valueNotFound(type, context):
            ConfigError(key: path(context.codingPath), message: "expected \(typeName(type)), found null")
        case let .keyNotFound(key, context):
            ConfigError(key: path(context.codingPath + [key]), message: "missing required key")
        case let .dataCorrupted(context):
            ConfigError(key: path(context.codingPath).isEmpty ? "(file)" : path(context.codingPath),
                        message: underlyingMessage(context))
        @unknown default:
            ConfigError(key: "(file)", message: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : "\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }

    /// Returns "found a string" from Foundation's "Expected to decode X but found a string instead.".
    private static func found(_ description: String) -> String {
        guard let start = description.range(of: "found ") else { return "found another type" }
        let rest = description[start.lowerBound...]
        return String(rest.replacingOccurrences(of: " instead.", with: "").replacingOccurrences(of: " instead", with: ""))
    }

    /// Returns how to write a value of `type` in the config.
    private static func example(_ type: Any.Type) -> String {
        switch typeName(type) {
        case "an integer": "write a whole number without quotes, for example 4"
        case "a number": "write a number without quotes, for example 0.05"
        case "a list": "write a list in brackets, for example [0, 1, 2]"
        case "an object": "write an object in braces, for example {\"tileRows\": 128}"
        case "true or false": "write true or false without quotes"
        default: "see docs/model.md for the key's format"
        }
    }

    private static func underlyingMessage(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError?,
           let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return "invalid JSON: \(detail)"
        }
        return context.debugDescription
    }
}

/// A coding key for any string, used to list the keys an object really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Throws for the first key of the object being decoded that `Keys` does not list, so a
/// misspelled option is an error instead of silently taking its default.
func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, allowed: Keys.Type) throws {
    let container = try decoder.container(keyedBy: AnyCodingKey.self)
    let known = Keys.allCases.map(\.stringValue)
    for key in container.allKeys where !known.contains(key.stringValue) {
        throw ConfigError(key: ConfigError.path(decoder.codingPath + [key]),
                          message: "unknown key; allowed keys here: \(known.joined(separator: ", "))")
    }
}

/// Throws a `ConfigError` naming `key` unless `range` contains `value`.
func requireRange<Value: Comparable>(_ value: Value, _ range: ClosedRange<Value>, key: String, unit: String = "",
                                     hint: String = "") throws {
    guard range.contains(value) else {
        let suffix = unit.isEmpty ? "" : " \(unit)"
        throw ConfigError(key: key, message: "\(value)\(suffix) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)\(suffix)\(hint.isEmpty ? "" : "; " + hint)")
    }
}
