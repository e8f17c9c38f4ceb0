import Foundation

/// A pooling window over [channels, height, width] tensors.
public struct PoolingWindow: Hashable, Sendable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var padTop = 0, padLeft = 0, padBottom = 0, padRight = 0
    /// Rounds the output size up instead of down (ONNX `ceil_mode`).
    public var ceilMode = false
    /// For average pooling: divide by the whole window, padding included
    /// (ONNX `count_include_pad`); otherwise by the pixels inside the input.
    public var countIncludePad = false

    public init(kernelHeight: Int, kernelWidth: Int, strideY: Int, strideX: Int) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
    }

    /// The output length along one axis. With `ceilMode`, as in PyTorch and ONNX, a last
    /// window that would start beyond the input and its leading padding is dropped.
    func outputSize(input: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int) -> Int {
        let span = input + padBegin + padEnd - kernel
        guard ceilMode else { return span / stride + 1 }
        var size = (span + stride - 1) / stride + 1
        if (size - 1) * stride >= input + padBegin { size -= 1 }
        return size
    }

    public func outputHeight(_ input: Int) -> Int {
        outputSize(input: input, kernel: kernelHeight, stride: strideY, padBegin: padTop, padEnd: padBottom)
    }

    public func outputWidth(_ input: Int) -> Int {
        outputSize(input: input, kernel: kernelWidth, stride: strideX, padBegin: padLeft, padEnd: padRight)
    }
}

/// A batch normalization kept in the digital path:
/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta, per channel.
public struct BatchNormalization: Sendable {
    public var name: String
    /// gamma / sqrt(var + epsilon), per channel.
    public var scale: [Float]
    /// beta - mean * scale, per channel.
    public var shift: [Float]

    public init(name: String, gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) {
        self.name = name
        scale = zip(gamma, variance).map { $0 / ($1 + epsilon).squareRoot() }
        shift = (0..<gamma.count).map { beta[$0] - mean[$0] * gamma[$0] / (variance[$0] + epsilon).squareRoot() }
    }
}
