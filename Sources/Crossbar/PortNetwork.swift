/// One array's network with its inputs and sense amplifiers kept as nodes ("ports"). The
/// nodes are numbered in the order a Cholesky factorization eliminates them: the inner
/// nodes by nested dissection of the grid, then the far-corner nodes, then the C sense nodes
/// and the R input nodes. Factoring the nodal matrix in that order leaves the Schur
/// complement of the inner nodes in its last rows. That is the admittance matrix between
/// the ports, and M follows from it without solves (see `PortSolver`).
///
/// Input node i is the driver's source at V_i, or word-line node (i, 0) itself when the
/// driver has 0 ohms. Sense node j is amplifier j's virtual ground at 0 V, or bit-line node
/// (rows - 1, j) itself when the amplifier has 0 ohms. The numbering needs both wire
/// segments above 0 ohms, so that no line collapses into one node.
struct PortNetwork {
    let rows: Int
    let columns: Int
    let wires: WireResistance
    let nodeCount: Int
    /// Far-corner nodes that are inner nodes: 0 to 2, numbered just before the sense nodes.
    let cornerCount: Int
    /// The upper triangle of the nodal matrix in compressed columns, rows sorted.
    let columnStart: [Int]
    let rowIndex: [Int]
    /// The matrix values of the wires and of the port regularization, without the cells.
    let wireValues: [Double]
    /// Positions in the values of each cell's stamps, row-major: the diagonal of its
    /// word-line node, the diagonal of its bit-line node and the entry that joins them.
    let cellStamps: [(Int, Int, Int)]
    /// The far-corner cell's two terminals: word line first, then bit line.
    let farCorner: (Terminal, Terminal)

    /// The source of a far-corner terminal's voltage with every input at 1 V.
    enum Terminal {
        /// Row `index` of the corner block of the Schur complement.
        case corner(index: Int)
        /// An input node: 1 V.
        case input
        /// A sense node: 0 V.
        case sense
    }

    var portCount: Int { rows + columns }

    /// The number of rows of the block at the end of the factor: corners, sense nodes, inputs.
    var trailingCount: Int { cornerCount + portCount }

    /// Returns nil when a word-line or bit-line segment has 0 ohms.
    init?(rows: Int, columns: Int, wires: WireResistance) {
        guard wires.wordLineSegmentOhms > 0, wires.bitLineSegmentOhms > 0 else { return nil }
        self.rows = rows
        self.columns = columns
        self.wires = wires
        var grid = GridNodes(rows: rows, columns: columns, wires: wires)
        let (order, cornerCount) = grid.eliminationOrder()
        self.cornerCount = cornerCount
        nodeCount = order.count
        grid.number(order)
        let graph = grid.edges()
        let (starts, indices) = Self.upperPattern(nodeCount: nodeCount, edges: graph.map { ($0.a, $0.b) })
        func slots(_ a: Int, _ b: Int) -> (Int, Int, Int) {
            (starts[a + 1] - 1, starts[b + 1] - 1, Self.position(a, b, columnStart: starts, rowIndex: indices))
        }
        var values = [Double](repeating: 0, count: indices.count)
        var stamps = [(Int, Int, Int)](repeating: (0, 0, 0), count: rows * columns)
        for edge in graph {
            let positions = slots(edge.a, edge.b)
            if let cell = edge.cell {
                stamps[cell] = positions
            } else {
                values[positions.0] += edge.siemens
                values[positions.1] += edge.siemens
                values[positions.2] -= edge.siemens
            }
        }
        for (node, siemens) in grid.regularization() { values[starts[node + 1] - 1] += siemens }
        columnStart = starts
        rowIndex = indices
        wireValues = values
        cellStamps = stamps
        farCorner = (grid.terminal(grid.wordLine(0, columns - 1)), grid.terminal(grid.bitLine(0, columns - 1)))
    }

    /// Returns the nodal matrix values of an array with cell conductances `siemens` (row-major).
    func values(siemens: [Float]) -> [Double] {
        var values = wireValues
        for (cell, slots) in cellStamps.enumerated() {
            let g = Double(siemens[cell])
            values[slots.0] += g
            values[slots.1] += g
            values[slots.2] -= g
        }
        return values
    }

    /// Returns the position of entry (min(a, b), max(a, b)) among the values of the pattern.
    private static func position(_ a: Int, _ b: Int, columnStart: [Int], rowIndex: [Int]) -> Int {
        let (row, column) = (min(a, b), max(a, b))
        var low = columnStart[column], high = columnStart[column + 1]
        while low < high {
            let middle = (low + high) / 2
            if rowIndex[middle] < row { low = middle + 1 } else { high = middle }
        }
        precondition(low < columnStart[column + 1] && rowIndex[low] == row, "entry (\(row), \(column)) is not in the pattern")
        return low
    }

    /// Builds the pattern of the diagonal and of every edge's upper entry, in compressed columns.
    private static func upperPattern(nodeCount: Int, edges: [(Int, Int)]) -> ([Int], [Int]) {
        var above = [[Int]](repeating: [], count: nodeCount)
        for (a, b) in edges { above[max(a, b)].append(min(a, b)) }
        var columnStart = [0]
        var rowIndex = [Int]()
        for column in 0..<nodeCount {
            var previous = -1
            for row in above[column].sorted() where row != previous {
                rowIndex.append(row)
                previous = row
            }
            rowIndex.append(column)
            columnStart.append(rowIndex.count)
        }
        return (columnStart, rowIndex)
    }
}
