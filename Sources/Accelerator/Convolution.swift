/// The geometry of a 2-D convolution over per-sample tensors [channels, height, width].
public struct ConvolutionGeometry: Hashable, Sendable {
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY = 1
    public var strideX = 1
    /// Zero padding in pixels: top, left, bottom, right (ONNX `pads` order for 2-D).
    public var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    public var dilationY = 1
    public var dilationX = 1

    public init(inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
                kernelHeight: Int, kernelWidth: Int) {
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
    }

    public var outputHeight: Int {
        (inputHeight + padTop + padBottom - dilationY * (kernelHeight - 1) - 1) / strideY + 1
    }

    public var outputWidth: Int {
        (inputWidth + padLeft + padRight - dilationX * (kernelWidth - 1) - 1) / strideX + 1
    }

    /// Rows of the unrolled kernel matrix: K_h * K_w * C_in, ordered (channel, ky, kx).
    public var patchSize: Int { inputChannels * kernelHeight * kernelWidth }

    public var outputPixels: Int { outputHeight * outputWidth }
}

/// A convolution mapped as unrolled kernels: the weight matrix has one row per element
/// of an input patch (channel, ky, kx) and one column per output channel, so every
/// output pixel is one activation of the array with that pixel's patch on the rows.
public struct ConvolutionLayer: Sendable {
    public var name: String
    public var geometry: ConvolutionGeometry
    public var matrix: WeightMatrix
    public var foldedBatchNormalization: String?

    public init(name: String, geometry: ConvolutionGeometry, matrix: WeightMatrix,
                foldedBatchNormalization: String? = nil) {
        precondition(matrix.rows == geometry.patchSize && matrix.columns == geometry.outputChannels,
                     "a convolution's matrix must be \(geometry.patchSize) x \(geometry.outputChannels)")
        self.name = name
        self.geometry = geometry
        self.matrix = matrix
        self.foldedBatchNormalization = foldedBatchNormalization
    }
}

extension ConvolutionGeometry {
    /// The number of samples a convolution unfolds and multiplies at a time: as many as keep
    /// their patches within 1 MiB, at least one. Patches of that size are likely still in
    /// the core's cache when the GEMM reads them, while those of a whole batch are not.
    var samplesPerUnfold: Int {
        Self.samplesPerUnfold(outputPixels: outputPixels, patchSize: patchSize)
    }

    /// Returns `samplesPerUnfold` for a convolution with `outputPixels` pixels and
    /// `patchSize` patch elements (rows of its weight matrix).
    public static func samplesPerUnfold(outputPixels: Int, patchSize: Int) -> Int {
        let bytesPerSample = outputPixels * patchSize * MemoryLayout<Float>.size
        return max(1, (1 << 20) / max(1, bytesPerSample))
    }

    /// Writes the patches of `batch` samples (im2col) one patch element after another:
    /// row k = (channel, ky, kx) holds that element for every output pixel of every sample,
    /// `patches[k * (batch * P) + b * P + pixel]`, zero where it falls into the padding. In
    /// this layout both the reads of an input row and the writes are contiguous, and the GEMM
    /// uses the patch matrix transposed.
    func unfoldTransposed(_ input: UnsafePointer<Float>, batch: Int, into patches: UnsafeMutablePointer<Float>) {
        let pixels = outputPixels
        let rowLength = batch * pixels
        let plane = inputHeight * inputWidth
        for c in 0..<inputChannels {
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let k = (c * kernelHeight + ky) * kernelWidth + kx
                    let (first, end) = validOutputColumns(kx: kx)
                    for b in 0..<batch {
                        let source = input + (b * inputChannels + c) * plane
                        let target = patches + k * rowLength + b * pixels
                        if keepsRowLength {
                            copyPlane(source, ky: ky, kx: kx, first: first, end: end, into: target)
                            continue
                        }
                        for oy in 0..<outputHeight {
                            copyRow(source, oy: oy, ky: ky, kx: kx, first: first, end: end,
                                    into: target + oy * outputWidth)
                        }
                    }
                }
            }
        }
    }

    /// The output columns [first, end) whose input column x = ox * sx - padLeft + kx * dx
    /// lies inside the image.
    private func validOutputColumns(kx: Int) -> (Int, Int) {
        let offset = kx * dilationX - padLeft
        let first = offset >= 0 ? 0 : (-offset + strideX - 1) / strideX
        let last = (inputWidth - 1 - offset) >= 0 ? (inputWidth - 1 - offset) / strideX : -1
        return (min(first, outputWidth), max(min(last + 1, outputWidth), min(first, outputWidth)))
    }

    /// True when a patch row can be copied as one block per kernel position: unit strides
    /// and an output as wide as the input, as with "same" padding. Then consecutive output
    /// pixels read consecutive input pixels, except at the left and right edges.
    private var keepsRowLength: Bool {
        strideX == 1 && strideY == 1 && outputWidth == inputWidth
    }

    /// Copies the input plane shifted by kernel position (ky, kx) in one move, then zeroes
    /// the rows above and below the image and the columns outside [first, end) of each row.
    /// Those are the only pixels whose source the move got wrong.
    @inline(__always)
    private func copyPlane(_ source: UnsafePointer<Float>, ky: Int, kx: Int, first: Int, end: Int,
                           into target: UnsafeMutablePointer<Float>) {
        let width = outputWidth, plane = inputHeight * inputWidth
        let shift = ky * dilationY - padTop
        // Output rows oy in [top, bottom) read input rows oy + shift inside the image.
        let top = min(max(-shift, 0), outputHeight)
        let bottom = max(min(inputHeight - shift, outputHeight), top)
        target.update(repeating: 0, count: top * width)
        (target + bottom * width).update(repeating: 0, count: (outputHeight - bottom) * width)
        guard top < bottom, first < end else {
            (target + top * width).update(repeating: 0, count: (bottom - top) * width)
            return
        }
        // Output pixel p reads input pixel p + offset; keep the reads inside the plane.
        let offset = shift * inputWidth + kx * dilationX - padLeft
        let start = max(top * width, -offset), stop = min(bottom * width, plane - offset)
        (target + start).update(from: source + start + offset, count: stop - start)
        for oy in top..<bottom {
            let row = target + oy * width
            row.update(repeating: 0, count: first)
            (row + end).update(repeating: 0, count: width - end)
        }
    }

    @inline(__always)
    private func copyRow(_ source: UnsafePointer<Float>, oy: Int, ky: Int, kx: Int, first: Int, end: Int,
                         into target: UnsafeMutablePointer<Float>) {
        let y = oy * strideY - padTop + ky * dilationY
        guard y >= 0, y < inputHeight, first < end else {
            target.update(repeating: 0, count: outputWidth)
            return
        }
        target.update(repeating: 0, count: first)
        let row = source + y * inputWidth + kx * dilationX - padLeft
        if strideX == 1 {
            (target + first).update(from: row + first, count: end - first)
        } else {
            for ox in first..<end { target[ox] = row[ox * strideX] }
        }
        (target + end).update(repeating: 0, count: outputWidth - end)
    }

    /// Moves GEMM results (b * P + pixel, channel) into per-sample [channel, pixel] order and
    /// adds each channel's bias. Pixels go in blocks of 16 so that both the rows read and the
    /// lines written stay in cache.
    func fold(_ products: UnsafePointer<Float>, batch: Int, adding bias: UnsafePointer<Float>,
              into output: UnsafeMutablePointer<Float>) {
        let pixels = outputPixels
        let block = 16
        for b in 0..<batch {
            let source = products + b * pixels * outputChannels
            let target = output + b * pixels * outputChannels
            for first in stride(from: 0, to: pixels, by: block) {
                let end = min(first + block, pixels)
                for c in 0..<outputChannels {
                    let line = target + c * pixels
                    for p in first..<end { line[p] = source[p * outputChannels + c] + bias[c] }
                }
            }
        }
    }
}
