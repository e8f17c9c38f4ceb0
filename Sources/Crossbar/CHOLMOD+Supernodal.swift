import CSuiteSparse
import Glibc

/// A supernodal Cholesky factorization in a given elimination order, for `PortSolver`:
/// the matrix is factored as numbered (CHOLMOD's natural ordering, no postorder), so its
/// last rows stay the ports. It owns its CHOLMOD workspace and must not be shared between
/// threads.
final class OrderedSupernodalCholesky {
    let dimension: Int
    private let common: UnsafeMutablePointer<cholmod_common>
    private var matrix: UnsafeMutablePointer<cholmod_sparse>?
    private var factor: UnsafeMutablePointer<cholmod_factor>?

    /// Analyzes the upper triangle given in compressed columns (`columnStart`, `rowIndex`,
    /// rows sorted, diagonal included).
    ///
    /// - Throws: `CHOLMODError` when CHOLMOD cannot start, allocate or analyze.
    init(columnStart: [Int], rowIndex: [Int]) throws(CHOLMODError) {
        _ = Self.serializeOpenMP
        dimension = columnStart.count - 1
        common = try startCHOLMOD()
        common.pointee.supernodal = CHOLMOD_SUPERNODAL
        common.pointee.nmethods = 1
        common.pointee.method.0.ordering = CHOLMOD_NATURAL
        common.pointee.postorder = 0
        // Larger supernodes than the defaults (4, 16, 48 columns) suit these grids. For the
        // two arrays of a 128 x 128 tile, `reram-emu crossbar bench` took 40 ms with these
        // values, 47 ms with half of them and 55 ms with the default zrelax[0] of 0.8. The
        // price is stored zeros: 2.6 million values in L against 1.4 million by default.
        common.pointee.nrelax = (32, 128, 384)
        common.pointee.zrelax = (0.4, 0.1, 0.05)
        do {
            try analyze(columnStart: columnStart, rowIndex: rowIndex)
        } catch {
            cholmod_l_free_sparse(&matrix, common)
            cholmod_l_finish(common)
            common.deallocate()
            throw error
        }
    }

    deinit {
        cholmod_l_free_factor(&factor, common)
        cholmod_l_free_sparse(&matrix, common)
        cholmod_l_finish(common)
        common.deallocate()
    }

    private func analyze(columnStart: [Int], rowIndex: [Int]) throws(CHOLMODError) {
        // Arguments: rows, columns, entries, sorted, packed, stype 1 (upper triangle), real.
        matrix = cholmod_l_allocate_sparse(dimension, dimension, rowIndex.count, 1, 1, 1, Int32(CHOLMOD_REAL), common)
        guard let a = matrix else { throw failure("cholmod_l_allocate_sparse") }
        let starts = a.pointee.p.assumingMemoryBound(to: Int.self)
        let rows = a.pointee.i.assumingMemoryBound(to: Int.self)
        for (k, start) in columnStart.enumerated() { starts[k] = start }
        for (k, row) in rowIndex.enumerated() { rows[k] = row }
        guard let analyzed = cholmod_l_analyze(a, common) else { throw failure("cholmod_l_analyze") }
        factor = analyzed
        let order = analyzed.pointee.Perm.assumingMemoryBound(to: Int.self)
        guard (0..<dimension).allSatisfy({ order[$0] == $0 }) else {
            throw CHOLMODError(code: CHOLMOD_INVALID, operation: "cholmod_l_analyze (the natural order was not kept)")
        }
    }

    /// The bytes that the factor's values and supernode structure take.
    var factorBytes: Int {
        guard let l = factor?.pointee else { return 0 }
        return (l.xsize + l.ssize + 2 * l.nsuper + 2 * dimension) * MemoryLayout<Double>.size
    }

    /// Computes the numeric factor of the analyzed pattern with `values`, one per entry.
    ///
    /// - Throws: `CHOLMODError`, with `.notPositiveDefinite` when a pivot is not positive.
    func factorize(_ values: [Double]) throws(CHOLMODError) {
        guard let a = matrix else { throw failure("cholmod_l_factorize") }
        let x = a.pointee.x.assumingMemoryBound(to: Double.self)
        for (k, value) in values.enumerated() { x[k] = value }
        cholmod_l_factorize(a, factor, common)
        guard common.pointee.status == CHOLMOD_OK else {
            throw CHOLMODError(code: common.pointee.status, operation: "cholmod_l_factorize",
                               minorColumn: factor.map { Int($0.pointee.minor) } ?? -1)
        }
    }

    /// Returns the last `count` rows and columns of the factor L, dense and column-major:
    /// entry (r, c) at [r + c * count], zero above the diagonal.
    func trailingBlock(_ count: Int) -> [Double] {
        var block = [Double](repeating: 0, count: count * count)
        guard let l = factor?.pointee else { return block }
        let first = dimension - count
        let supernodeStart = l.super.assumingMemoryBound(to: Int.self)
        let rowStart = l.pi.assumingMemoryBound(to: Int.self)
        let valueStart = l.px.assumingMemoryBound(to: Int.self)
        let rows = l.s.assumingMemoryBound(to: Int.self)
        let values = l.x.assumingMemoryBound(to: Double.self)
        var supernode = l.nsuper - 1
        while supernode >= 0 && supernodeStart[supernode + 1] > first {
            let columns = supernodeStart[supernode]..<supernodeStart[supernode + 1]
            let rowCount = rowStart[supernode + 1] - rowStart[supernode]
            for column in max(columns.lowerBound, first)..<columns.upperBound {
                let base = valueStart[supernode] + (column - columns.lowerBound) * rowCount
                for k in 0..<rowCount {
                    let row = rows[rowStart[supernode] + k]
                    if row >= column { block[(row - first) + (column - first) * count] = values[base + k] }
                }
            }
            supernode -= 1
        }
        return block
    }

    /// CHOLMOD's supernodal factorization opens OpenMP teams for large supernodes (three
    /// extra threads on the 2-core benchmark machine), while the Monte Carlo runner already
    /// keeps every core busy with trials.
    /// Setting OpenMP's maximum active levels to 0 makes every parallel region run on the
    /// calling thread. It is looked up at run time, so a CHOLMOD without OpenMP needs nothing.
    private static let serializeOpenMP: Void = {
        typealias SetMaximumActiveLevels = @convention(c) (Int32) -> Void
        if let symbol = dlsym(nil, "omp_set_max_active_levels") {
            unsafeBitCast(symbol, to: SetMaximumActiveLevels.self)(0)
        }
    }()

    private func failure(_ operation: String) -> CHOLMODError {
        let status = common.pointee.status
        return CHOLMODError(code: status == CHOLMOD_OK ? CHOLMOD_INVALID : status, operation: operation)
    }
}
