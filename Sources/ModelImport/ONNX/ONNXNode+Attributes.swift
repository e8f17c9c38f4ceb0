// Typed attribute accessors. Each returns the attribute's value when it has the requested
// type, returns `default` when the attribute is absent and a default is given, and
// otherwise throws an `ONNXError` that names the node, its operator and the attribute.
// Types are not converted: an `INT` attribute read with `float(_:default:)` throws.

extension ONNXNode {
    public func int(_ name: String, default defaultValue: Int64?) throws -> Int64 {
        try attribute(name, expected: "INT", default: defaultValue) { value in
            if case .int(let int) = value { return int }
            return nil
        }
    }

    public func ints(_ name: String, default defaultValue: [Int64]?) throws -> [Int64] {
        try attribute(name, expected: "INTS", default: defaultValue) { value in
            if case .ints(let ints) = value { return ints }
            return nil
        }
    }

    public func float(_ name: String, default defaultValue: Float?) throws -> Float {
        try attribute(name, expected: "FLOAT", default: defaultValue) { value in
            if case .float(let float) = value { return float }
            return nil
        }
    }

    public func floats(_ name: String, default defaultValue: [Float]?) throws -> [Float] {
        try attribute(name, expected: "FLOATS", default: defaultValue) { value in
            if case .floats(let floats) = value { return floats }
            return nil
        }
    }

    public func string(_ name: String, default defaultValue: String?) throws -> String {
        try attribute(name, expected: "STRING", default: defaultValue) { value in
            if case .string(let string) = value { return string }
            return nil
        }
    }

    /// Returns a `TENSOR` attribute, such as the `value` of a `Constant` node. Throws when
    /// the attribute is missing or has another type.
    public func tensor(_ name: String) throws -> ONNXTensor {
        try attribute(name, expected: "TENSOR", default: nil) { value in
            if case .tensor(let tensor) = value { return tensor }
            return nil
        }
    }

    private func attribute<Value>(
        _ name: String, expected typeName: String, default defaultValue: Value?,
        extract: (ONNXAttribute) -> Value?
    ) throws -> Value {
        guard let attribute = attributes[name] else {
            if let defaultValue {
                return defaultValue
            }
            throw ONNXError(source: source, location: "", "\(messageLabel) is missing required attribute '\(name)' of type \(typeName); the model does not match the ONNX schema of \(sanitizedForMessage(opType))")
        }
        guard let value = extract(attribute) else {
            throw ONNXError(source: source, location: "", "\(messageLabel) has attribute '\(name)' of type \(attribute.typeName), expected \(typeName); the model does not match the ONNX schema of \(sanitizedForMessage(opType))")
        }
        return value
    }
}
