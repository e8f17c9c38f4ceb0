/// The size of one crossbar tile: word lines (rows) by bit lines (columns) of
/// differential cells.
public struct TileShape: Hashable, Sendable, Codable, CustomStringConvertible {
    public var rows: Int
    public var columns: Int

    public init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "a tile needs at least one row and one column")
        self.rows = rows
        self.columns = columns
    }

    public var description: String { "\(rows)x\(columns)" }
}

/// How one weight layer is split over tiles: row block r holds weight rows
/// [r * R, min((r + 1) * R, rows)), column block c the columns likewise.
public struct LayerMapping: Sendable {
    /// The index of the layer's operation in the network.
    public let operationIndex: Int
    public let name: String
    public let kind: String
    public let matrixRows: Int
    public let matrixColumns: Int
    public let tile: TileShape
    /// Array activations per inference: 1 for a dense layer, the output pixels of a convolution.
    public let activationsPerInference: Int
    public let foldedBatchNormalization: String?

    public var rowBlocks: Int { (matrixRows + tile.rows - 1) / tile.rows }
    public var columnBlocks: Int { (matrixColumns + tile.columns - 1) / tile.columns }
    public var tileCount: Int { rowBlocks * columnBlocks }

    /// The share of the allocated cells that hold a weight.
    public var utilization: Double {
        Double(matrixRows * matrixColumns) / Double(tileCount * tile.rows * tile.columns)
    }

    /// ADC conversions per inference: every column of every tile, once per activation.
    public var adcConversionsPerInference: Int { rowBlocks * matrixColumns * activationsPerInference }

    /// DAC operations per inference: every row of every tile, once per activation.
    public var dacOperationsPerInference: Int { matrixRows * columnBlocks * activationsPerInference }

    public func rowRange(_ block: Int) -> Range<Int> {
        block * tile.rows..<min((block + 1) * tile.rows, matrixRows)
    }

    public func columnRange(_ block: Int) -> Range<Int> {
        block * tile.columns..<min((block + 1) * tile.columns, matrixColumns)
    }
}

/// Splits each dense and convolution layer into ceil(rows / R) x ceil(columns / C) tiles.
public enum TileScheduler {
    public static func map(_ network: Network, tile: TileShape) -> [LayerMapping] {
        network.weightLayerIndices.map { index in
            let operation = network.operations[index]
            let matrix = operation.weightMatrix!
            let (kind, activations, folded): (String, Int, String?) = switch operation {
            case .convolution(let layer): ("conv", layer.geometry.outputPixels, layer.foldedBatchNormalization)
            case .dense(let layer): ("dense", 1, layer.foldedBatchNormalization)
            default: ("", 1, nil)
            }
            return LayerMapping(operationIndex: index, name: operation.displayName, kind: kind,
                                matrixRows: matrix.rows, matrixColumns: matrix.columns, tile: tile,
                                activationsPerInference: activations, foldedBatchNormalization: folded)
        }
    }
}
