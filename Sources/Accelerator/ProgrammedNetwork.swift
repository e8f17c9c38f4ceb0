import Crossbar
import DeviceModel
import Peripherals

/// One weight layer programmed onto its tiles for one trial.
public struct ProgrammedLayer: Sendable {
    public let mapping: LayerMapping
    /// Tiles in row-block-major order: tile (r, c) at index r * columnBlocks + c.
    public let tiles: [CrossbarArray]
    /// w_max of the layer, mapped to Gmax - Gmin.
    public let weightScale: Float
    /// x_fs, the activation that the DAC maps to V_read.
    public let inputFullScale: Float
    /// I_fs of each tile's ADC, in amperes, in tile order.
    public let adcFullScaleAmperes: [Float]
    /// With wire resistance, each tile's far-corner relative error (the larger of its two
    /// arrays, see `WireResistanceSolution`), in tile order; empty for ideal wires.
    public var farCornerErrors: [Double] = []

    /// The factor from column current back to the weight domain:
    /// y = I * x_fs * w_max / (V_read * (Gmax - Gmin)).
    public func outputScale(_ settings: AnalogSettings) -> Float {
        Float(Double(inputFullScale) * Double(weightScale)
              / (Double(settings.readVoltageVolts) * settings.window.spanSiemens))
    }
}

/// Every weight layer of a network programmed for one trial, with the settings it used.
public struct ProgrammedNetwork: Sendable {
    public let settings: AnalogSettings
    /// Programmed layers by operation index.
    public let layers: [Int: ProgrammedLayer]
    /// Cells stuck at Gmin or Gmax in this programming, over all layers.
    public var faults = FaultCounts()

    /// Programs every weight layer tile by tile, drawing variation from `generator` in a
    /// fixed order (layer, then tile, then row, then column, then G+ before G-).
    ///
    /// - Parameter inputFullScale: x_fs of each weight layer by operation index (see
    ///   `Calibration`); layers missing from it use 1.
    ///
    /// - Precondition: `settings` has no stuck-at faults or drift, which draw from streams
    ///   of their own; use `program(_:settings:inputFullScale:streams:)` for those.
    public static func program(_ network: Network, settings: AnalogSettings,
                               inputFullScale: [Int: Float],
                               generator: RandomGenerator) -> ProgrammedNetwork {
        precondition(settings.faults.isNone && settings.drift == nil,
                     "faults and drift need ProgrammingStreams; call program(_:settings:inputFullScale:streams:)")
        return program(network, settings: settings, inputFullScale: inputFullScale,
                       streams: ProgrammingStreams(programming: generator))
    }

    /// Programs every weight layer with the whole cell model. Variation is drawn from
    /// `streams.programming` in the order given above; faults and drift come from their
    /// own streams. With read noise on, every tile also keeps its squared conductances.
    public static func program(_ network: Network, settings: AnalogSettings,
                               inputFullScale: [Int: Float],
                               streams: ProgrammingStreams) -> ProgrammedNetwork {
        var layers: [Int: ProgrammedLayer] = [:]
        var faults = FaultCounts()
        for mapping in TileScheduler.map(network, tile: settings.tile) {
            let matrix = network.operations[mapping.operationIndex].weightMatrix!
            layers[mapping.operationIndex] = programLayer(
                matrix, mapping: mapping, settings: settings,
                inputFullScale: inputFullScale[mapping.operationIndex] ?? 1, streams: streams, faults: &faults)
        }
        var programmed = ProgrammedNetwork(settings: settings, layers: layers)
        programmed.faults = faults
        return programmed
    }

    private static func programLayer(_ matrix: WeightMatrix, mapping: LayerMapping,
                                     settings: AnalogSettings, inputFullScale: Float,
                                     streams: ProgrammingStreams, faults: inout FaultCounts) -> ProgrammedLayer {
        let largest = matrix.maximumMagnitude
        let weightScale = largest > 0 ? largest : 1
        let pairMapping = DifferentialPairMapping(levels: settings.levels, weightScale: weightScale)
        var tiles: [CrossbarArray] = []
        var fullScales: [Float] = []
        var farCornerErrors: [Double] = []
        let cells = settings.cellProgramming
        matrix.values.withUnsafeBufferPointer { w in
            for r in 0..<mapping.rowBlocks {
                let rows = mapping.rowRange(r)
                for c in 0..<mapping.columnBlocks {
                    let columns = mapping.columnRange(c)
                    let tile = CrossbarArray.program(
                        weights: w.baseAddress! + rows.lowerBound * matrix.columns + columns.lowerBound,
                        weightStride: matrix.columns, rows: rows.count, columns: columns.count,
                        mapping: pairMapping, cells: cells, streams: streams, faults: &faults)
                    var read = tile
                    if !settings.wires.isIdeal {
                        let solution = solve(tile, wires: settings.wires, layer: mapping, rowBlock: r, columnBlock: c)
                        read = solution.effectiveArray
                        farCornerErrors.append(solution.worstFarCornerRelativeError)
                    }
                    tiles.append(settings.readNoise > 0 ? read.preparingReadNoise() : read)
                    fullScales.append(settings.adcFullScaleAmperes(rowsUsed: rows.count, operationIndex: mapping.operationIndex))
                }
            }
        }
        var layer = ProgrammedLayer(mapping: mapping, tiles: tiles, weightScale: weightScale,
                                    inputFullScale: inputFullScale, adcFullScaleAmperes: fullScales)
        layer.farCornerErrors = farCornerErrors
        return layer
    }

    /// Returns the tile as its sense amplifiers see it through `wires`. The config has
    /// checked the resistances and programming keeps conductances in [0, Gmax], so a
    /// failure here means CHOLMOD ran out of memory.
    ///
    /// NOTE: every array of every tile of every trial takes a numeric factorization, about
    /// 20 ms for 128 x 128 cells. So an MNIST trial with IR drop costs about 10 x one without
    /// (docs/benchmarks.md), against a target of 3 x.
    private static func solve(_ tile: CrossbarArray, wires: WireResistance, layer: LayerMapping,
                              rowBlock: Int, columnBlock: Int) -> WireResistanceSolution {
        do {
            return try tile.solvingWireResistance(wires)
        } catch {
            preconditionFailure("tile (\(rowBlock), \(columnBlock)) of weight layer \(layer.operationIndex): \(error)")
        }
    }
}
