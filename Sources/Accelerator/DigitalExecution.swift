import Foundation

// The operations of the digital path, applied to whole batches.

extension Activations {
    mutating func applyClip(minimum: Float, maximum: Float) {
        for i in values.indices {
            values[i] = min(max(values[i], minimum), maximum)
        }
    }

    mutating func applyBatchNormalization(_ norm: BatchNormalization) {
        let channels = shape[0]
        let plane = sampleSize / channels
        precondition(norm.scale.count == channels, "\(norm.name) has \(norm.scale.count) channels, the input \(channels)")
        for b in 0..<batch {
            for c in 0..<channels {
                let start = (b * channels + c) * plane
                for i in start..<start + plane {
                    values[i] = values[i] * norm.scale[c] + norm.shift[c]
                }
            }
        }
    }

    /// Softmax over each sample; with `logarithm`, log-softmax.
    mutating func applySoftmax(logarithm: Bool) {
        let size = sampleSize
        for b in 0..<batch {
            let range = b * size..<(b + 1) * size
            let peak = values[range].max() ?? 0
            var total: Float = 0
            for i in range { total += exp(values[i] - peak) }
            for i in range {
                values[i] = logarithm ? values[i] - peak - log(total) : exp(values[i] - peak) / total
            }
        }
    }

    func pooled(_ window: PoolingWindow, average: Bool) -> Activations {
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let outHeight = window.outputHeight(height)
        let outWidth = window.outputWidth(width)
        var output = [Float](repeating: 0, count: batch * channels * outHeight * outWidth)
        var o = 0
        for plane in 0..<batch * channels {
            let base = plane * height * width
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    output[o] = poolWindow(base: base, oy: oy, ox: ox, window: window,
                                           height: height, width: width, average: average)
                    o += 1
                }
            }
        }
        return Activations(batch: batch, shape: [channels, outHeight, outWidth], values: output)
    }

    private func poolWindow(base: Int, oy: Int, ox: Int, window: PoolingWindow,
                            height: Int, width: Int, average: Bool) -> Float {
        let y0 = oy * window.strideY - window.padTop
        let x0 = ox * window.strideX - window.padLeft
        var best = -Float.infinity
        var total: Float = 0
        var inside = 0
        for y in max(y0, 0)..<min(y0 + window.kernelHeight, height) {
            for x in max(x0, 0)..<min(x0 + window.kernelWidth, width) {
                let v = values[base + y * width + x]
                best = max(best, v)
                total += v
                inside += 1
            }
        }
        guard average else { return best }
        if window.countIncludePad {
            // The divisor counts padding cells but not cells beyond the padded input.
            let yEnd = min(y0 + window.kernelHeight, height + window.padBottom)
            let xEnd = min(x0 + window.kernelWidth, width + window.padRight)
            return total / Float((yEnd - y0) * (xEnd - x0))
        }
        return total / Float(max(inside, 1))
    }

    func globalAveragePooled() -> Activations {
        let channels = shape[0]
        let plane = sampleSize / channels
        var output = [Float](repeating: 0, count: batch * channels)
        for i in output.indices {
            var total: Float = 0
            for v in values[i * plane..<(i + 1) * plane] { total += v }
            output[i] = total / Float(plane)
        }
        return Activations(batch: batch, shape: [channels, 1, 1], values: output)
    }
}
