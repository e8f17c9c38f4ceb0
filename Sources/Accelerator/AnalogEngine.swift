import Crossbar
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

    /// Adds another engine's counts, for combining parallel workers.
    public func merge(_ other: ConverterStatistics) {
        for (index, counts) in other.adcClips { adcClips[index, default: ClipCounts()] += counts }
        for (index, counts) in other.dacClips { dacClips[index, default: ClipCounts()] += counts }
    }
}

/// The emulated accelerator: each weight layer's product runs through the DAC, the
/// programmed tiles and the ADC, and the digital path sums tile results over row blocks
/// and scales them back to the weight domain. One engine serves one worker at a time.
public struct AnalogEngine: MatrixEngine {
    public let programmed: ProgrammedNetwork
    public let statistics: ConverterStatistics

    public init(programmed: ProgrammedNetwork, statistics: ConverterStatistics = ConverterStatistics()) {
        self.programmed = programmed
        self.statistics = statistics
    }

    public func multiply(operationIndex: Int, matrix: WeightMatrix, input: UnsafePointer<Float>,
                         rowCount: Int, output: UnsafeMutablePointer<Float>) {
        guard let layer = programmed.layers[operationIndex] else {
            preconditionFailure("layer \(operationIndex) was not programmed")
        }
        let settings = programmed.settings
        let voltages = UnsafeMutablePointer<Float>.allocate(capacity: rowCount * matrix.rows)
        defer { voltages.deallocate() }
        let dacClips = settings.dac.convert(input, count: rowCount * matrix.rows,
                                            fullScale: layer.inputFullScale, into: voltages)
        output.update(repeating: 0, count: rowCount * matrix.columns)
        let adcClips = accumulateTiles(layer, voltages: voltages, rowCount: rowCount,
                                       output: output, settings: settings)
        statistics.record(operationIndex: operationIndex, adc: adcClips, dac: dacClips)
    }

    /// Sums the converted column currents of every tile into `output` (rowCount x columns),
    /// scaled back to the weight domain.
    private func accumulateTiles(_ layer: ProgrammedLayer, voltages: UnsafePointer<Float>,
                                 rowCount: Int, output: UnsafeMutablePointer<Float>,
                                 settings: AnalogSettings) -> ClipCounts {
        let mapping = layer.mapping
        let stride = mapping.matrixColumns
        let scale = layer.outputScale(settings)
        var clips = ClipCounts()
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rowCount * mapping.tile.columns)
        defer { scratch.deallocate() }
        for r in 0..<mapping.rowBlocks {
            let rows = mapping.rowRange(r)
            for c in 0..<mapping.columnBlocks {
                let columns = mapping.columnRange(c)
                let tileIndex = r * mapping.columnBlocks + c
                let tile = layer.tiles[tileIndex]
                if settings.adc.isIdeal {
                    // An ideal ADC passes currents through, so the GEMM scales and accumulates.
                    tile.columnCurrents(voltages: voltages + rows.lowerBound, voltageStride: mapping.matrixRows,
                                        batch: rowCount, output: output + columns.lowerBound,
                                        outputStride: stride, scale: scale, accumulate: true)
                    continue
                }
                tile.columnCurrents(voltages: voltages + rows.lowerBound, voltageStride: mapping.matrixRows,
                                    batch: rowCount, output: scratch, outputStride: columns.count)
                for b in 0..<rowCount {
                    clips += settings.adc.convertAndAccumulate(
                        scratch + b * columns.count, into: output + b * stride + columns.lowerBound,
                        count: columns.count, fullScaleAmperes: layer.adcFullScaleAmperes[tileIndex],
                        outputScale: scale)
                }
            }
        }
        return clips
    }
}
