/// Labeled images, normalized and ready for the network: per-sample tensors
/// [channels, height, width] stored one after another.
public struct Dataset: Sendable {
    public let name: String
    /// The shape of one image: [channels, height, width].
    public let shape: [Int]
    public let pixels: [Float]
    public let labels: [Int]

    /// - Precondition: `pixels` holds labels.count images of `shape`.
    public init(name: String, shape: [Int], pixels: [Float], labels: [Int]) {
        precondition(pixels.count == labels.count * shape.reduce(1, *),
                     "\(labels.count) images of shape \(shape) need \(labels.count * shape.reduce(1, *)) pixels, got \(pixels.count)")
        self.name = name
        self.shape = shape
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// Returns the first `limit` images, or all when `limit` is nil or larger than the set.
    public func prefix(_ limit: Int?) -> Dataset {
        guard let limit, limit < count else { return self }
        let size = shape.reduce(1, *)
        return Dataset(name: name, shape: shape, pixels: Array(pixels[0..<limit * size]),
                       labels: Array(labels[0..<limit]))
    }

    /// Images [start, end) as one batch.
    public func batch(_ range: Range<Int>) -> Activations {
        let size = shape.reduce(1, *)
        return Activations(batch: range.count, shape: shape,
                           values: Array(pixels[range.lowerBound * size..<range.upperBound * size]))
    }

    /// Returns the ranges of consecutive batches of `batchSize` images covering the set.
    public func batchRanges(batchSize: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: batchSize).map { $0..<min($0 + batchSize, count) }
    }
}

/// Per-layer DAC full scales taken from the float network on calibration data that the
/// study does not score.
public enum Calibration {
    /// x_fs of every weight layer: the largest input magnitude that layer receives over the
    /// calibration images, or 1 where it saw only zeros. Runs in batches of `batchSize`, the
    /// study's own, so calibration never needs more memory than a trial.
    public static func inputFullScale(_ network: Network, images: Dataset, batchSize: Int = 500) -> [Int: Float] {
        var largest: [Int: Float] = [:]
        let weightLayers = Set(network.weightLayerIndices)
        for range in images.batchRanges(batchSize: batchSize) {
            let input = images.batch(range)
            if weightLayers.contains(0) { largest[0] = max(largest[0] ?? 0, maximumMagnitude(input.values)) }
            _ = network.forward(input, engine: FloatEngine()) { index, output in
                guard weightLayers.contains(index + 1) else { return }
                largest[index + 1] = max(largest[index + 1] ?? 0, maximumMagnitude(output.values))
            }
        }
        return largest.mapValues { $0 > 0 ? $0 : 1 }
    }

    private static func maximumMagnitude(_ values: [Float]) -> Float {
        values.reduce(0) { max($0, abs($1)) }
    }
}
