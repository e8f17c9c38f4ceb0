import Foundation

/// Foundation's JSONDecoder reports two different faults as the same "The given data was
/// not valid JSON." without a key: a syntax error, and a valid number that does not fit its
/// key's type, such as 1.5 for a tile size. These functions tell them apart and find the
/// line or the key.
extension ConfigError {
    /// Explains why `data` did not decode as `type` when JSONDecoder gave no key.
    static func corruption<Value: Decodable>(in data: Data, decoding type: Value.Type) -> ConfigError {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch {
            return syntaxError(error as NSError, in: data)
        }
        // Round the numbers with a fraction one after another. The one whose rounding lets
        // the decoder get past the failure is the value that needs a whole number.
        var rounded = object
        for (path, number) in fractionalNumbers(in: object) {
            rounded = replacing(path, in: rounded, with: number.rounded())
            guard let roundedData = try? JSONSerialization.data(withJSONObject: rounded, options: .fragmentsAllowed)
            else { continue }
            do {
                _ = try JSONDecoder().decode(type, from: roundedData)
            } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
                continue
            } catch {}
            return ConfigError(key: self.path(path),
                               message: "expected a whole number, found \(number); write a whole number without a fraction, for example 4")
        }
        return ConfigError(key: "(file)", message: "a value does not fit its key's type; check that counts and sizes are whole numbers")
    }

    /// Turns JSONSerialization's "around character N" into a line and a column.
    private static func syntaxError(_ error: NSError, in data: Data) -> ConfigError {
        let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        guard let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
              let offset = Int(detail[range].dropFirst("character ".count)) else {
            return ConfigError(key: "(file)", message: "invalid JSON: \(detail)")
        }
        let before = data.prefix(offset)
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        return ConfigError(key: "(file)", message: "invalid JSON at line \(line), column \(column): \(detail) Look for a missing or extra comma, quote or bracket there; NaN and infinity are not JSON numbers.")
    }

    /// Returns every number with a fraction in a JSON value, with its path, keys in sorted order.
    private static func fractionalNumbers(in value: Any, at path: [any CodingKey] = []) -> [([any CodingKey], Double)] {
        switch value {
        case let object as [String: Any]:
            object.keys.sorted().flatMap { fractionalNumbers(in: object[$0]!, at: path + [AnyCodingKey(stringValue: $0)]) }
        case let array as [Any]:
            array.enumerated().flatMap { fractionalNumbers(in: $1, at: path + [AnyCodingKey(intValue: $0)!]) }
        case is Bool, is String:
            []
        case let number as Double where number.isFinite && number != number.rounded():
            [(path, number)]
        default:
            []
        }
    }

    /// Returns `value` with the element at `path` set to `number`.
    private static func replacing(_ path: [any CodingKey], in value: Any, with number: Double) -> Any {
        guard let key = path.first else { return Int(exactly: number) ?? number }
        let rest = Array(path.dropFirst())
        if var object = value as? [String: Any], let child = object[key.stringValue] {
            object[key.stringValue] = replacing(rest, in: child, with: number)
            return object
        }
        if var array = value as? [Any], let index = key.intValue, array.indices.contains(index) {
            array[index] = replacing(rest, in: array[index], with: number)
            return array
        }
        return value
    }
}
