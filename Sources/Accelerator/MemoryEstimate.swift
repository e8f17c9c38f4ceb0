import Foundation

/// An estimate, before any work, of the memory a study needs, so a study too large for
/// the machine is refused instead of being killed halfway.
public enum MemoryEstimate {
    /// Bytes to read and decode a model file: the file itself, its decoded float tensors
    /// and the lowered network hold about three copies of the weights at once.
    public static func modelLoading(fileBytes: Int) -> Int { 3 * fileBytes }

    /// Bytes a study holds at its peak: the network, the images, and per worker one
    /// programmed copy of every tile (G+, G- and G+ - G- in float32) plus the buffers of
    /// one batch (activations in and out, im2col patches, voltages and GEMM results).
    public static func study(_ network: Network, mappings: [LayerMapping], images: Int, imageSize: Int,
                             batchSize: Int, workers: Int) -> Int {
        let weights = mappings.reduce(0) { $0 + $1.matrixRows * $1.matrixColumns }
        let largestStep = mappings.map { m in
            batchSize * m.activationsPerInference * (2 * m.matrixRows + 3 * m.matrixColumns)
        }.max() ?? 0
        let perWorker = 3 * weights + largestStep + 2 * batchSize * imageSize
        return 4 * (weights + images * imageSize + workers * perWorker)
    }

    /// MemAvailable from /proc/meminfo in bytes, or nil where it cannot be read. The
    /// environment variable RERAM_EMU_AVAILABLE_MEMORY_BYTES overrides it, for tests.
    public static func availableBytes() -> Int? {
        if let text = ProcessInfo.processInfo.environment["RERAM_EMU_AVAILABLE_MEMORY_BYTES"], let bytes = Int(text) {
            return bytes
        }
        guard let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in info.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
