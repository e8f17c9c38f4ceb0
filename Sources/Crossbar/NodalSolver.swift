/// A node of one array's network after zero-ohm connections are merged and nodes held at a
/// fixed voltage are taken out of the system of equations.
enum NetworkNode: Equatable {
    /// An unknown voltage: the index of its row in the nodal matrix.
    case unknown(Int)
    /// A node held at the input voltage V_i, because the driver of word line i has 0 ohms.
    case input(Int)
    /// A node held at 0 V, because the sense amplifier has 0 ohms.
    case ground
}

/// The node layout of one array of a rows x columns tile: which physical node is which
/// unknown. Word-line node (i, j) is the top terminal of cell (i, j), and bit-line node
/// (i, j) is its bottom terminal. The layout depends only on the shape and on which of the four
/// resistances are 0, so G+ and G- share it.
struct TileNetwork {
    let rows: Int
    let columns: Int
    let wires: WireResistance
    let unknownCount: Int
    private let wordLineNodes: [NetworkNode]
    private let bitLineNodes: [NetworkNode]

    init(rows: Int, columns: Int, wires: WireResistance) {
        self.rows = rows
        self.columns = columns
        self.wires = wires
        var next = 0
        func newUnknown() -> NetworkNode {
            defer { next += 1 }
            return .unknown(next)
        }

        // A 0-ohm word line makes each row one node, and a 0-ohm driver fixes it at V_i.
        var wordLine = [NetworkNode]()
        wordLine.reserveCapacity(rows * columns)
        for i in 0..<rows {
            var shared: NetworkNode?
            for j in 0..<columns {
                let node: NetworkNode
                if let shared {
                    node = shared
                } else if j == 0 && wires.driverOhms == 0 {
                    node = .input(i)
                } else {
                    node = newUnknown()
                }
                if wires.wordLineSegmentOhms == 0 { shared = node }
                wordLine.append(node)
            }
        }

        // Bit line j ends at row rows - 1, so a 0-ohm sense amplifier grounds that node.
        var bitLine = [NetworkNode](repeating: .ground, count: rows * columns)
        for j in 0..<columns {
            var shared: NetworkNode?
            for i in stride(from: rows - 1, through: 0, by: -1) {
                let node: NetworkNode
                if let shared {
                    node = shared
                } else if i == rows - 1 && wires.senseOhms == 0 {
                    node = .ground
                } else {
                    node = newUnknown()
                }
                if wires.bitLineSegmentOhms == 0 { shared = node }
                bitLine[i * columns + j] = node
            }
        }
        wordLineNodes = wordLine
        bitLineNodes = bitLine
        unknownCount = next
    }

    func wordLine(_ i: Int, _ j: Int) -> NetworkNode { wordLineNodes[i * columns + j] }

    func bitLine(_ i: Int, _ j: Int) -> NetworkNode { bitLineNodes[i * columns + j] }
}

/// The nodal equations of one array, A x = B V, and its column currents, I = C^T x + D V.
///
/// - A (`matrix`, siemens) is the nodal conductance matrix of the unknown node voltages x.
/// - Column i of B (`injections[i]`, siemens) is the current injected into each node per
///   volt of input V_i. That is 1 / driverOhms into word-line node (i, 0). When a 0-ohm
///   driver fixes that node at V_i, it is the conductances that join it to unknown nodes.
/// - Column j of C (`extractions[j]`, siemens) and row j of D (`direct`, siemens) give
///   I_j = sum over rows k of G_kj (u_kj - w_kj), the current that the cells of column j
///   push into bit line j. By Kirchhoff's current law it equals the current through sense
///   amplifier j, for any sense resistance including 0.
struct NodalSystem {
    typealias Entry = (node: Int, siemens: Double)

    var matrix: SparseUpperTriangle
    var injections: [[Entry]]
    var extractions: [[Entry]]
    /// D, columns x rows, row-major: current into column j per volt of V_i through cells
    /// whose two terminals are both held at fixed voltages.
    var direct: [Double]

    /// Stamps every cell and wire of `network` with cell conductances `siemens`
    /// (row-major, rows x columns). The order of the stamps depends only on `network`,
    /// so two arrays of the same network give matrices of the same pattern.
    init(network: TileNetwork, siemens: [Float]) {
        let rows = network.rows, columns = network.columns
        matrix = SparseUpperTriangle(dimension: network.unknownCount)
        injections = Array(repeating: [], count: rows)
        extractions = Array(repeating: [], count: columns)
        direct = Array(repeating: 0, count: columns * rows)
        let wires = network.wires

        for i in 0..<rows {
            for j in 0..<columns {
                let g = Double(siemens[i * columns + j])
                let top = network.wordLine(i, j), bottom = network.bitLine(i, j)
                stamp(top, bottom, g)
                switch top {
                case let .unknown(p): extractions[j].append((p, g))
                case let .input(k): direct[j * rows + k] += g
                case .ground: break
                }
                if case let .unknown(q) = bottom { extractions[j].append((q, -g)) }
            }
        }
        if wires.wordLineSegmentOhms > 0 {
            let g = 1 / wires.wordLineSegmentOhms
            for i in 0..<rows {
                for j in 0..<(columns - 1) { stamp(network.wordLine(i, j), network.wordLine(i, j + 1), g) }
            }
        }
        if wires.bitLineSegmentOhms > 0 {
            let g = 1 / wires.bitLineSegmentOhms
            for j in 0..<columns {
                for i in 0..<(rows - 1) { stamp(network.bitLine(i, j), network.bitLine(i + 1, j), g) }
            }
        }
        if wires.driverOhms > 0 {
            for i in 0..<rows { stamp(network.wordLine(i, 0), .input(i), 1 / wires.driverOhms) }
        }
        if wires.senseOhms > 0 {
            for j in 0..<columns { stamp(network.bitLine(rows - 1, j), .ground, 1 / wires.senseOhms) }
        }
    }

    /// Adds a conductance `g` between nodes a and b. A zero `g` is stamped too, so that the
    /// matrix pattern does not depend on the values.
    private mutating func stamp(_ a: NetworkNode, _ b: NetworkNode, _ g: Double) {
        switch (a, b) {
        case let (.unknown(p), .unknown(q)):
            guard p != q else { return }
            matrix.add(p, p, g)
            matrix.add(q, q, g)
            matrix.add(p, q, -g)
        case let (.unknown(p), .input(i)), let (.input(i), .unknown(p)):
            matrix.add(p, p, g)
            injections[i].append((p, g))
        case let (.unknown(p), .ground), let (.ground, .unknown(p)):
            matrix.add(p, p, g)
        default:
            // Both ends at fixed voltages: no unknown takes part.
            break
        }
    }
}

/// The solution of one array: its effective conductances and its far-corner error.
struct ArraySolution {
    /// M, rows x columns, row-major, in siemens: I_j = sum_i V_i M_ij.
    var effectiveSiemens: [Double]
    /// 1 - (u - w) / V at cell (0, columns - 1) with every input at the same voltage V.
    var farCornerRelativeError: Double
}

extension TileNetwork {
    /// The maximum number of right-hand sides per CHOLMOD call, which bounds each dense
    /// work array to `unknownCount * 64` values.
    static let maximumRightHandSideBlock = 64

    /// Solves each array in `arrays` (row-major conductances in siemens) on this network.
    /// The symbolic analysis is shared, and each array gets its own numeric factorization.
    ///
    /// - Complexity: one sparse Cholesky factorization of 2 * rows * columns unknowns per
    ///   array, then rows + columns sparse forward solves, or min(rows, columns) + 1 full
    ///   solves where the ports touch whole lines.
    func solve(_ arrays: [[Float]]) throws(CHOLMODError) -> [ArraySolution] {
        let systems = arrays.map { NodalSystem(network: self, siemens: $0) }
        guard unknownCount > 0 else {
            return systems.map { ArraySolution(effectiveSiemens: transposed($0.direct), farCornerRelativeError: 0) }
        }
        let cholesky = try SparseCholesky(analyzing: systems[0].matrix)
        var solutions = [ArraySolution]()
        for (system, siemens) in zip(systems, arrays) {
            try cholesky.factorize(system.matrix)
            if let solution = try solveThroughPorts(system, siemens: siemens, with: cholesky) {
                solutions.append(solution)
            } else {
                solutions.append(try solveWithFullRightHandSides(system, with: cholesky))
            }
        }
        return solutions
    }

    /// Computes M = B^T A^-1 C + D^T. Because A is symmetric, M can be had from either
    /// A^-1 B (one solve per input) or A^-1 C (one solve per column), so the smaller side
    /// is solved. One more right-hand side, B times a vector of ones, gives the node
    /// voltages with every input at 1 V for the far-corner error.
    ///
    /// This is the general method, used when `solveThroughPorts` does not apply: each solve
    /// runs over all of L, so it costs several times the port solve.
    func solveWithFullRightHandSides(_ system: NodalSystem, with cholesky: SparseCholesky) throws(CHOLMODError) -> ArraySolution {
        let n = unknownCount
        let byInput = rows <= columns
        let solved = byInput ? system.injections : system.extractions
        let applied = byInput ? system.extractions : system.injections
        var effective = transposed(system.direct)

        let allInputs = system.injections.flatMap { $0 }
        let sides = solved + [allInputs]
        var allInputsVoltages = [Double]()
        // Equal blocks, so that the solver's work arrays keep their shape between calls.
        let blockCount = (sides.count + Self.maximumRightHandSideBlock - 1) / Self.maximumRightHandSideBlock
        let blockSize = (sides.count + blockCount - 1) / blockCount
        for start in stride(from: 0, to: sides.count, by: blockSize) {
            let block = start..<min(start + blockSize, sides.count)
            try cholesky.solve(count: block.count) { rightHandSides in
                for (offset, side) in sides[block].enumerated() {
                    for entry in side { rightHandSides[offset * n + entry.node] += entry.siemens }
                }
            } read: { x in
                for (offset, index) in block.enumerated() {
                    let column = UnsafeBufferPointer(rebasing: x[(offset * n)..<((offset + 1) * n)])
                    guard index < solved.count else {
                        allInputsVoltages = Array(column)
                        continue
                    }
                    // column = A^-1 (column `index` of the solved side). Its dot product with
                    // every column of the other side is one entry of M.
                    for (other, entries) in applied.enumerated() {
                        var current = 0.0
                        for entry in entries { current += entry.siemens * column[entry.node] }
                        let (i, j) = byInput ? (index, other) : (other, index)
                        effective[i * columns + j] += current
                    }
                }
            }
        }
        return ArraySolution(effectiveSiemens: effective,
                             farCornerRelativeError: farCornerError(allInputsVoltages: allInputsVoltages))
    }

    /// 1 - (u - w) for the cell farthest from both its driver and its sense amplifier,
    /// row 0 and column columns - 1, with every input at 1 V.
    private func farCornerError(allInputsVoltages x: [Double]) -> Double {
        func voltage(_ node: NetworkNode) -> Double {
            switch node {
            case let .unknown(p): x[p]
            case .input: 1
            case .ground: 0
            }
        }
        return 1 - (voltage(wordLine(0, columns - 1)) - voltage(bitLine(0, columns - 1)))
    }

    /// D (columns x rows) transposed to rows x columns.
    func transposed(_ direct: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { result[i * columns + j] = direct[j * rows + i] }
        }
        return result
    }
}

extension TileNetwork {
    /// Computes the far-corner relative error of one array with conductances `siemens`
    /// (row-major, in siemens) and every input at the same voltage. It takes one
    /// factorization and one solve, without M.
    func farCornerError(_ siemens: [Float]) throws(CHOLMODError) -> Double {
        guard unknownCount > 0 else { return 0 }
        let system = NodalSystem(network: self, siemens: siemens)
        let cholesky = try SparseCholesky(analyzing: system.matrix)
        try cholesky.factorize(system.matrix)
        var voltages = [Double]()
        try cholesky.solve(count: 1) { rightHandSide in
            for side in system.injections {
                for entry in side { rightHandSide[entry.node] += entry.siemens }
            }
        } read: { x in
            voltages = Array(x)
        }
        return farCornerError(allInputsVoltages: voltages)
    }
}
