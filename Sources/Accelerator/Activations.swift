/// A batch of per-sample tensors, stored sample after sample in row-major order.
public struct Activations: Sendable {
    public var batch: Int
    /// The shape of one sample: [features] or [channels, height, width].
    public var shape: [Int]
    public var values: [Float]

    /// - Precondition: `values` holds batch * product(shape) elements.
    public init(batch: Int, shape: [Int], values: [Float]) {
        precondition(values.count == batch * shape.reduce(1, *),
                     "\(batch) samples of shape \(shape) need \(batch * shape.reduce(1, *)) values, got \(values.count)")
        self.batch = batch
        self.shape = shape
        self.values = values
    }

    public var sampleSize: Int { shape.reduce(1, *) }

    /// The index of the largest value of each sample (the predicted class for logits).
    public func argmax() -> [Int] {
        let size = sampleSize
        return (0..<batch).map { b in
            var best = 0
            for i in 1..<size where values[b * size + i] > values[b * size + best] {
                best = i
            }
            return best
        }
    }
}

extension Array where Element == Float {
    /// `count` floats written completely by `fill`, without first zeroing memory that is
    /// overwritten anyway.
    static func filled(count: Int, by fill: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer.baseAddress!)
            initialized = count
        }
    }
}
