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
    /// Writes the patches of `batch` samples (im2col): row (b * P + pixel) holds the
    /// patch of output pixel `pixel` of sample b, zero where it falls into the padding.
    func unfold(_ input: UnsafePointer<Float>, batch: Int, into patches: UnsafeMutablePointer<Float>) {
        let sampleSize = inputChannels * inputHeight * inputWidth
        var row = patches
        for b in 0..<batch {
            let sample = input + b * sampleSize
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    unfoldPixel(sample, oy: oy, ox: ox, into: row)
                    row += patchSize
                }
            }
        }
    }

    @inline(__always)
    private func unfoldPixel(_ sample: UnsafePointer<Float>, oy: Int, ox: Int,
                             into row: UnsafeMutablePointer<Float>) {
        var k = 0
        for c in 0..<inputChannels {
            let plane = sample + c * inputHeight * inputWidth
            for ky in 0..<kernelHeight {
                let y = oy * strideY - padTop + ky * dilationY
                let rowInside = y >= 0 && y < inputHeight
                for kx in 0..<kernelWidth {
                    let x = ox * strideX - padLeft + kx * dilationX
                    row[k] = rowInside && x >= 0 && x < inputWidth ? plane[y * inputWidth + x] : 0
                    k += 1
                }
            }
        }
    }

    /// Moves GEMM results (b * P + pixel, channel) into per-sample [channel, pixel] order.
    func fold(_ products: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>) {
        let pixels = outputPixels
        for b in 0..<batch {
            let source = products + b * pixels * outputChannels
            let target = output + b * pixels * outputChannels
            for p in 0..<pixels {
                for c in 0..<outputChannels {
                    target[c * pixels + p] = source[p * outputChannels + c]
                }
            }
        }
    }
}
