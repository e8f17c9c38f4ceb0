import Synchronization

/// Computes M from the Schur complement of a `PortNetwork`. With the nodal matrix A
/// factored as L L^T in the network's order, the last rows of L hold the Schur complement S
/// of the inner nodes: S = L_T L_T^T, where L_T is the trailing block of corner, sense and
/// input rows. Eliminating the corner rows too leaves Y = L_P L_P^T for the port rows P
/// (sense nodes, then inputs), the admittance matrix of the ports plus the regularization on
/// its diagonal. The current that amplifier j takes from the array with the inputs at V and
/// the sense nodes at 0 V is -sum_i Y_ji V_i, so
///
///     M_ij = -Y_ji = -(L_in,s L_s,s^T)_ij,
///
/// one dense product of the input rows and the sense rows of L. The far-corner voltages come
/// from the corner rows: with every input at 1 V, x_c = -L_cc^-T (sum over inputs i of L_i,c).
/// A solver keeps its analysis between arrays of the same shape and wires.
final class PortSolver: @unchecked Sendable {
    let network: PortNetwork
    private let cholesky: OrderedSupernodalCholesky

    /// The memory the solver keeps between arrays: the factor, the pattern and the stamps.
    let bytes: Int

    init(network: PortNetwork) throws(CHOLMODError) {
        self.network = network
        cholesky = try OrderedSupernodalCholesky(columnStart: network.columnStart, rowIndex: network.rowIndex)
        let word = MemoryLayout<Int>.size
        bytes = cholesky.factorBytes + word * (network.columnStart.count + 2 * network.rowIndex.count
            + 3 * network.cellStamps.count)
    }

    /// Solves one array with cell conductances `siemens` (row-major, in siemens).
    func solve(_ siemens: [Float]) throws(CHOLMODError) -> ArraySolution {
        try cholesky.factorize(network.values(siemens: siemens))
        let (rows, columns) = (network.rows, network.columns)
        let count = network.trailingCount
        let corners = network.cornerCount
        let block = cholesky.trailingBlock(count)
        var effective = [Double](repeating: 0, count: rows * columns)
        block.withUnsafeBufferPointer { l in
            // Both operands are row-major with leading dimension `count`. Element (k, i) of the
            // first is L[input i, sense k], and element (k, j) of the second is L[sense j, sense k].
            let senseColumns = l.baseAddress! + corners * count
            BLAS.dgemmTransposedA(m: rows, n: columns, k: columns, a: senseColumns + corners + columns, lda: count,
                                  b: senseColumns + corners, ldb: count, c: &effective, ldc: columns)
        }
        for k in effective.indices { effective[k] = -effective[k] }
        return ArraySolution(effectiveSiemens: effective, farCornerRelativeError: farCornerError(block))
    }

    /// Returns 1 - (u - w) at the far-corner cell with every input at 1 V.
    private func farCornerError(_ block: [Double]) -> Double {
        let count = network.trailingCount
        let corners = network.cornerCount
        let firstInput = corners + network.columns
        // Solve L_cc^T x = -(sum over inputs of L[input, c]) by back substitution.
        var voltage = [Double](repeating: 0, count: corners)
        for c in stride(from: corners - 1, through: 0, by: -1) {
            var right = 0.0
            for i in firstInput..<count { right -= block[i + c * count] }
            for r in (c + 1)..<max(c + 1, corners) { right -= block[r + c * count] * voltage[r] }
            voltage[c] = right / block[c + c * count]
        }
        func volts(_ terminal: PortNetwork.Terminal) -> Double {
            switch terminal {
            case let .corner(index): voltage[index]
            case .input: 1
            case .sense: 0
            }
        }
        return 1 - (volts(network.farCorner.0) - volts(network.farCorner.1))
    }
}

/// Analyzed `PortSolver`s that no thread is using, so that trials reuse the analysis of
/// every tile shape. A thread takes a solver out, solves, and puts it back. The idle
/// solvers keep at most `byteLimit` bytes, and the least recently used one goes first.
final class PortSolverPool: Sendable {
    static let shared = PortSolverPool()
    static let byteLimit = 128 << 20
    private let idle = Mutex<[PortSolver]>([])

    /// Solves `arrays` (row-major conductances in siemens) with a solver for this shape and
    /// these wires, or returns nil when the port method does not apply (a 0-ohm segment).
    func solve(_ arrays: [[Float]], rows: Int, columns: Int,
               wires: WireResistance) throws(CHOLMODError) -> [ArraySolution]? {
        let matches = { (solver: PortSolver) in
            solver.network.rows == rows && solver.network.columns == columns && solver.network.wires == wires
        }
        var solver = idle.withLock { list in list.firstIndex(where: matches).map { list.remove(at: $0) } }
        if solver == nil {
            guard let network = PortNetwork(rows: rows, columns: columns, wires: wires) else { return nil }
            solver = try PortSolver(network: network)
        }
        guard let solver else { return nil }
        var solutions = [ArraySolution]()
        for siemens in arrays { solutions.append(try solver.solve(siemens)) }
        idle.withLock { list in
            list.append(solver)
            var bytes = list.reduce(0) { $0 + $1.bytes }
            while bytes > Self.byteLimit, list.count > 1 {
                bytes -= list.removeFirst().bytes
            }
        }
        return solutions
    }
}
