import Crossbar
import DeviceModel
import Peripherals

/// Clip counts gathered while an engine runs, per operation index.
public final class ConverterStatistics: @unchecked Sendable {
    public private(set) var adcClips: [Int: ClipCounts] = [:]
    public private(set) var dacClips: [Int: ClipCounts] = [:]

    public init() {}

    func record(operationIndex: Int, adc: ClipCounts, dac: ClipCounts) {
        adcClips[operationIndex, default: ClipCounts()] += adc
        dacClips[operationIndex, default: ClipCounts()] += dac
    }
}

/// Collects column-current magnitudes per layer, for calibrating ADC ranges. At most
/// `samplesPerCall` values are kept from each product, evenly strided, to bound memory.
public final class CurrentRecorder: @unchecked Sendable {
    public private(set) var magnitudes: [Int: [Float]] = [:]
    let samplesPerCall = 8_192

    public init() {}

    func record(operationIndex: Int, _ currents: UnsafePointer<Float>, count: Int) {
        let stride = max(1, count / samplesPerCall)
        var index = 0
        while index < count {
            magnitudes[operationIndex, default: []].append(abs(currents[index]))
            index += stride
        }
    }
}

/// The emulated accelerator: each weight layer's product runs through the DAC, the
/// programmed tiles and the ADC, and the digital path sums tile results over row blocks
/// and DAC cycles and scales them back to the weight domain. One engine serves one
/// worker at a time.
public struct AnalogEngine: MatrixEngine {
    public let programmed: ProgrammedNetwork
    public let statistics: ConverterStatistics
    /// When set, every tile's currents are recorded before conversion.
    public let recorder: CurrentRecorder?
    /// Read noise of every product, when the settings have read noise.
    private let readNoise: ReadNoise?

    /// - Parameter readNoiseGenerator: the stream read noise draws from; used only when
    ///   the programmed settings have read noise, and then required.
    public init(programmed: ProgrammedNetwork, statistics: ConverterStatistics = ConverterStatistics(),
                recorder: CurrentRecorder? = nil, readNoiseGenerator: RandomGenerator? = nil) {
        self.programmed = programmed
        self.statistics = statistics
        self.recorder = recorder
        let sigma = programmed.settings.readNoise
        precondition(sigma == 0 || readNoiseGenerator != nil, "settings with read noise need a readNoiseGenerator")
        readNoise = sigma > 0 ? ReadNoise(relativeSigma: Float(sigma), generator: readNoiseGenerator!) : nil
    }

    /// The recorder keeps a fixed number of currents per call, so calibration multiplies
    /// whole batches to sample the same currents however a convolution is split.
    public var unfoldsPartialBatches: Bool { recorder == nil }

    public func multiply(operationIndex: Int, matrix: WeightMatrix, input: UnsafePointer<Float>,
                         rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>) {
        guard let layer = programmed.layers[operationIndex] else {
            preconditionFailure("layer \(operationIndex) was not programmed")
        }
        let (planes, dacClips) = programmed.settings.dac.planes(input, count: rowCount * matrix.rows,
                                                                fullScale: layer.inputFullScale)
        statistics.record(operationIndex: operationIndex, adc: ClipCounts(), dac: dacClips)
        output.update(repeating: 0, count: rowCount * matrix.columns)
        for plane in planes {
            plane.volts.withUnsafeBufferPointer { volts in
                accumulateCycle(operationIndex: operationIndex, matrix: matrix, volts: volts.baseAddress!,
                                weight: plane.weight, rowCount: rowCount, inputTransposed: inputTransposed, output: output)
            }
        }
    }

    /// Converts the whole input tensor through the layer's DAC, once per pixel.
    public func inputCycles(operationIndex: Int, _ input: [Float]) -> [VoltagePlane]? {
        guard let layer = programmed.layers[operationIndex] else {
            preconditionFailure("layer \(operationIndex) was not programmed")
        }
        let (planes, dacClips) = input.withUnsafeBufferPointer {
            programmed.settings.dac.planes($0.baseAddress!, count: input.count, fullScale: layer.inputFullScale)
        }
        statistics.record(operationIndex: operationIndex, adc: ClipCounts(), dac: dacClips)
        return planes
    }

    public func accumulateCycle(operationIndex: Int, matrix: WeightMatrix, volts: UnsafePointer<Float>, weight: Float,
                                rowCount: Int, inputTransposed: Bool, output: UnsafeMutablePointer<Float>) {
        guard let layer = programmed.layers[operationIndex] else {
            preconditionFailure("layer \(operationIndex) was not programmed")
        }
        let layout = VoltageLayout(base: volts, rowCount: rowCount, rows: matrix.rows, transposed: inputTransposed)
        let adcClips = accumulateTiles(layer, voltages: layout, weight: weight, rowCount: rowCount,
                                       output: output, settings: programmed.settings)
        statistics.record(operationIndex: operationIndex, adc: adcClips, dac: ClipCounts())
    }

    /// Adds the converted column currents of every tile for one DAC cycle to `output`
    /// (rowCount x columns), times the cycle's `weight`, scaled back to the weight domain.
    private func accumulateTiles(_ layer: ProgrammedLayer, voltages: VoltageLayout, weight: Float,
                                 rowCount: Int, output: UnsafeMutablePointer<Float>,
                                 settings: AnalogSettings) -> ClipCounts {
        let mapping = layer.mapping
        let scale = layer.outputScale(settings) * weight
        let selections: [(ConductanceSelection, Float)] = settings.adcConversion == .differential
            ? [(.difference, scale)] : [(.plus, scale), (.minus, -scale)]
        var clips = ClipCounts()
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rowCount * mapping.tile.columns)
        defer { scratch.deallocate() }
        for r in 0..<mapping.rowBlocks {
            let rows = mapping.rowRange(r)
            for c in 0..<mapping.columnBlocks {
                let columns = mapping.columnRange(c)
                let tileIndex = r * mapping.columnBlocks + c
                let tile = layer.tiles[tileIndex]
                let target = output + columns.lowerBound
                if settings.adc.isIdeal && recorder == nil && settings.adcConversion == .differential {
                    // An ideal ADC passes currents through, so the GEMM scales and accumulates.
                    tile.columnCurrents(voltages: voltages.firstRow(rows.lowerBound), voltageStride: voltages.stride,
                                        batch: rowCount, output: target, outputStride: mapping.matrixColumns,
                                        scale: scale, accumulate: true, readNoise: readNoise,
                                        voltagesTransposed: voltages.transposed)
                    continue
                }
                for (selection, signedScale) in selections {
                    tile.columnCurrents(voltages: voltages.firstRow(rows.lowerBound), voltageStride: voltages.stride,
                                        batch: rowCount, output: scratch, outputStride: columns.count,
                                        selection: selection, readNoise: readNoise,
                                        voltagesTransposed: voltages.transposed)
                    recorder?.record(operationIndex: mapping.operationIndex, scratch, count: rowCount * columns.count)
                    for b in 0..<rowCount {
                        clips += settings.adc.convertAndAccumulate(
                            scratch + b * columns.count, into: target + b * mapping.matrixColumns,
                            count: columns.count, fullScaleAmperes: layer.adcFullScaleAmperes[tileIndex],
                            outputScale: signedScale)
                    }
                }
            }
        }
        return clips
    }
}

/// Where the word-line voltages of a batch are: rowCount x rows row-major (dense layers),
/// or rows x rowCount (convolution patches, im2col), so a tile's first row is found either way.
struct VoltageLayout {
    let base: UnsafePointer<Float>
    let rowCount: Int
    let rows: Int
    let transposed: Bool

    /// The leading dimension the GEMM reads the voltages with.
    var stride: Int { transposed ? rowCount : rows }

    /// The voltages of word line `row` onward.
    func firstRow(_ row: Int) -> UnsafePointer<Float> {
        transposed ? base + row * rowCount : base + row
    }
}
