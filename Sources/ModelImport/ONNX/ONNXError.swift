/// An error raised while decoding an ONNX model or reading a node's attributes.
///
/// `description` is a single line that names the source file, the protobuf field, tensor or
/// node involved, the invalid value and, where one exists, the fix.
public struct ONNXError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The description without the leading source and location.
    let message: String

    public init(_ description: String) {
        self.description = description
        self.message = description
    }

    /// Creates an error whose description starts with the source file and, unless it is
    /// empty, the field location, as in
    /// `"model.onnx: graph.node[3]: truncated varint at byte offset 120 ..."`.
    init(source: String, location: String, _ message: String) {
        self.description = location.isEmpty ? "\(source): \(message)" : "\(source): \(location): \(message)"
        self.message = message
    }
}

// MARK: - Strings from the file in messages

/// Maximum Unicode scalars of a file-provided name that an error message repeats.
private let maxQuotedLength = 120

/// Returns a name read from the file in a form safe for a one-line message: control and
/// line-separator characters become `\u{XX}` escapes, and text past 120 Unicode scalars is cut
/// and marked with `...`.
func sanitizedForMessage(_ text: String) -> String {
    var result = ""
    for (offset, scalar) in text.unicodeScalars.enumerated() {
        if offset == maxQuotedLength {
            result += "..."
            break
        }
        if isUnsafeInMessage(scalar) {
            result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// Returns `'name'` with the name passed through `sanitizedForMessage`.
func quotedForMessage(_ text: String) -> String {
    "'\(sanitizedForMessage(text))'"
}

private func isUnsafeInMessage(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: return true
    default: return false
    }
}
