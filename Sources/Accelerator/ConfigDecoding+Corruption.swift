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
        // Replace the suspect numbers one after another with whole numbers. The one whose
        // replacement lets the decoder get past the failure is the value at fault.
        var replaced = object
        for (path, number) in suspectNumbers(in: object) {
            let isFraction = number != number.rounded()
            replaced = replacing(path, in: replaced, with: isFraction ? number.rounded() : 1)
            guard let replacedData = try? JSONSerialization.data(withJSONObject: replaced, options: .fragmentsAllowed)
            else { continue }
            do {
                _ = try JSONDecoder().decode(type, from: replacedData)
            } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
                continue
            } catch {}
            let text = isFraction || abs(number) >= 1e15 ? "\(number)" : String(Int(number))
            let message = isFraction
                ? "expected a whole number, found \(text); write a whole number without a fraction"
                : "\(text) does not fit this key; give a whole number from 0 to 2^63 - 1 (the key's range is checked next)"
            return ConfigError(key: self.path(path), message: message)
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
        let reason = detail.replacingOccurrences(of: #" around character \d+"#, with: "", options: .regularExpression)
        return ConfigError(key: "(file)", message: "invalid JSON at line \(line), column \(column): \(reason) Look for a missing or extra comma, quote or bracket there; NaN and infinity are not JSON numbers.")
    }

    /// Returns every number in a JSON value that an integer key cannot hold, with its path,
    /// keys in sorted order: numbers with a fraction, negative numbers (for unsigned keys
    /// such as the seed) and numbers of 2^53 or more.
    private static func suspectNumbers(in value: Any, at path: [any CodingKey] = []) -> [([any CodingKey], Double)] {
        switch value {
        case let object as [String: Any]:
            object.keys.sorted().flatMap { suspectNumbers(in: object[$0]!, at: path + [AnyCodingKey(stringValue: $0)]) }
        case let array as [Any]:
            array.enumerated().flatMap { suspectNumbers(in: $1, at: path + [AnyCodingKey(intValue: $0)!]) }
        case is Bool, is String:
            []
        case let number as Double where number.isFinite:
            number != number.rounded() || number < 0 || abs(number) >= 0x1p53 ? [(path, number)] : []
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
