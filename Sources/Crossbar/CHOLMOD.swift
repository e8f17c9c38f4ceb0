import CSuiteSparse

// Every call into SuiteSparse's CHOLMOD goes through this file and CHOLMOD+Supernodal.swift:
// the workspace, the sparse matrix, the symbolic analysis, the numeric factorization and
// the solve. All calls use CHOLMOD's 64-bit index interface (`cholmod_l_*`).

/// A CHOLMOD failure: the status CHOLMOD returned and the call that returned it.
public struct CHOLMODError: Error, CustomStringConvertible, Equatable {
    /// A CHOLMOD status code other than `CHOLMOD_OK`.
    public enum Status: Equatable, Sendable {
        /// `CHOLMOD_NOT_INSTALLED` (-1): the requested method is not compiled into this libcholmod.
        case methodNotInstalled
        /// `CHOLMOD_OUT_OF_MEMORY` (-2).
        case outOfMemory
        /// `CHOLMOD_TOO_LARGE` (-3): an integer overflow in a size computation.
        case problemTooLarge
        /// `CHOLMOD_INVALID` (-4): an argument CHOLMOD rejected.
        case invalidInput
        /// `CHOLMOD_GPU_PROBLEM` (-5).
        case gpuProblem
        /// `CHOLMOD_NOT_POSDEF` (1): the factorization stopped at column `column` (0-based)
        /// because the matrix is not positive definite.
        case notPositiveDefinite(column: Int)
        /// `CHOLMOD_DSMALL` (2): a diagonal entry of the factor is tiny, so the solution may be inaccurate.
        case diagonalTooSmall
        /// Any other code, or a call that returned no result without setting a status.
        case other(Int32)
    }

    public let status: Status
    /// The CHOLMOD function that failed, for example `cholmod_l_factorize`.
    public let operation: String

    public var description: String {
        let reason = switch status {
        case .methodNotInstalled: "method not installed (CHOLMOD_NOT_INSTALLED)"
        case .outOfMemory: "out of memory (CHOLMOD_OUT_OF_MEMORY)"
        case .problemTooLarge: "problem too large, integer overflow (CHOLMOD_TOO_LARGE)"
        case .invalidInput: "invalid input (CHOLMOD_INVALID)"
        case .gpuProblem: "GPU error (CHOLMOD_GPU_PROBLEM)"
        case let .notPositiveDefinite(column):
            "matrix not positive definite at column \(column) (CHOLMOD_NOT_POSDEF)"
        case .diagonalTooSmall: "tiny diagonal entry in the factor (CHOLMOD_DSMALL)"
        case let .other(code): "status \(code)"
        }
        return "CHOLMOD \(operation) failed: \(reason)"
    }

    init(code: Int32, operation: String, minorColumn: Int = -1) {
        status = switch code {
        case CHOLMOD_NOT_INSTALLED: .methodNotInstalled
        case CHOLMOD_OUT_OF_MEMORY: .outOfMemory
        case CHOLMOD_TOO_LARGE: .problemTooLarge
        case CHOLMOD_INVALID: .invalidInput
        case CHOLMOD_GPU_PROBLEM: .gpuProblem
        case CHOLMOD_NOT_POSDEF: .notPositiveDefinite(column: minorColumn)
        case CHOLMOD_DSMALL: .diagonalTooSmall
        default: .other(code)
        }
        self.operation = operation
    }
}

/// A sparse symmetric positive definite matrix, given by its upper triangle, and its
/// Cholesky factor. The symbolic analysis (fill-reducing ordering) is done once in
/// `init`, and `factorize` can then run several times on matrices with the same pattern.
/// An instance owns its CHOLMOD workspace, so it must not be shared between threads.
final class SparseCholesky {
    let dimension: Int
    private let common: UnsafeMutablePointer<cholmod_common>
    private let pattern: SparseUpperTriangle
    private var factor: UnsafeMutablePointer<cholmod_factor>?
    // The dense matrices that `solve` keeps between calls: B, X, and CHOLMOD's workspaces
    // Y and E. They are separate properties because solve2 takes them all inout at once.
    private var rightHandSides: UnsafeMutablePointer<cholmod_dense>?
    private var solution: UnsafeMutablePointer<cholmod_dense>?
    private var workspaceY: UnsafeMutablePointer<cholmod_dense>?
    private var workspaceE: UnsafeMutablePointer<cholmod_dense>?

    /// Analyzes the pattern of `matrix`, whose values are not used yet.
    ///
    /// - Throws: `CHOLMODError` when CHOLMOD cannot start or analyze.
    init(analyzing matrix: SparseUpperTriangle) throws(CHOLMODError) {
        dimension = matrix.dimension
        pattern = matrix
        common = try startCHOLMOD()
        // The forward solves of `solveThroughPorts` walk the simplicial form.
        common.pointee.supernodal = CHOLMOD_SIMPLICIAL
        common.pointee.final_ll = 1
        do {
            factor = try withSparse(matrix) { a throws(CHOLMODError) in
                guard let analyzed = cholmod_l_analyze(a, common) else {
                    throw failure("cholmod_l_analyze")
                }
                return analyzed
            }
        } catch {
            cholmod_l_finish(common)
            common.deallocate()
            throw error
        }
    }

    deinit {
        freeWorkspace()
        if factor != nil { cholmod_l_free_factor(&factor, common) }
        cholmod_l_finish(common)
        common.deallocate()
    }

    /// Computes the numeric factor of `matrix`, which must have the pattern given to `init`.
    ///
    /// - Throws: `CHOLMODError`, with `.notPositiveDefinite` when a pivot is not positive.
    func factorize(_ matrix: SparseUpperTriangle) throws(CHOLMODError) {
        precondition(matrix.rows == pattern.rows && matrix.columns == pattern.columns,
                     "factorize needs the pattern analyzed in init")
        try withSparse(matrix) { a throws(CHOLMODError) in
            cholmod_l_factorize(a, factor, common)
            guard common.pointee.status == CHOLMOD_OK else {
                throw CHOLMODError(code: common.pointee.status, operation: "cholmod_l_factorize",
                                   minorColumn: factor.map { Int($0.pointee.minor) } ?? -1)
            }
        }
    }

    /// Solves A X = B for a dense B of `dimension` rows and `count` columns. `fill` writes
    /// B, column-major and zeroed beforehand, and `read` reads X in the same layout.
    ///
    /// B, X and CHOLMOD's workspaces are kept between calls with the same `count`, so a
    /// tile solved in several blocks allocates and zeroes those pages once.
    ///
    /// - Throws: `CHOLMODError` when allocation or the solve fails.
    func solve(count: Int, fill: (UnsafeMutableBufferPointer<Double>) -> Void,
               read: (UnsafeBufferPointer<Double>) -> Void) throws(CHOLMODError) {
        if let b = rightHandSides, b.pointee.ncol != count { freeWorkspace() }
        if rightHandSides == nil {
            rightHandSides = cholmod_l_allocate_dense(dimension, count, dimension, Int32(CHOLMOD_REAL), common)
        }
        guard let b = rightHandSides else { throw failure("cholmod_l_allocate_dense") }
        let bValues = UnsafeMutableBufferPointer(start: b.pointee.x.assumingMemoryBound(to: Double.self),
                                                 count: dimension * count)
        bValues.update(repeating: 0)
        fill(bValues)

        // cholmod_l_solve2 reuses X, Y and E when they already have the right shape.
        guard cholmod_l_solve2(Int32(CHOLMOD_A), factor, b, nil, &solution, nil, &workspaceY, &workspaceE,
                               common) != 0, let x = solution else {
            throw failure("cholmod_l_solve2")
        }
        read(UnsafeBufferPointer(start: x.pointee.x.assumingMemoryBound(to: Double.self), count: dimension * count))
    }

    /// Copies the numeric factor into simplicial form for sparse triangular solves. The
    /// factor itself stays supernodal, so `factorize` can run again.
    ///
    /// - Throws: `CHOLMODError` when copying or converting fails.
    func simplicialFactor() throws(CHOLMODError) -> SimplicialFactor {
        var copy = cholmod_l_copy_factor(factor, common)
        defer { cholmod_l_free_factor(&copy, common) }
        // Arguments: real values, LL^T, simplicial, packed, monotonic.
        guard let simplicial = copy, cholmod_l_change_factor(Int32(CHOLMOD_REAL), 1, 0, 1, 1, simplicial, common) != 0 else {
            throw failure("cholmod_l_change_factor")
        }
        let f = simplicial.pointee
        let n = Int(f.n)
        let starts = f.p.assumingMemoryBound(to: Int.self)
        let counts = f.nz.assumingMemoryBound(to: Int.self)
        let rows = f.i.assumingMemoryBound(to: Int.self)
        let values = f.x.assumingMemoryBound(to: Double.self)
        let permutation = f.Perm.assumingMemoryBound(to: Int.self)
        // Packed columns lie one after another, so the arrays copy in one piece each.
        let columnStart = Array(UnsafeBufferPointer(start: starts, count: n + 1))
        for j in 0..<n where columnStart[j] + counts[j] != columnStart[j + 1] {
            throw CHOLMODError(code: CHOLMOD_INVALID, operation: "cholmod_l_change_factor (columns not packed)")
        }
        let entryCount = columnStart[n]
        let rowIndex = Array(UnsafeBufferPointer(start: rows, count: entryCount))
        let value = Array(UnsafeBufferPointer(start: values, count: entryCount))
        var position = [Int](repeating: 0, count: n)
        for k in 0..<n { position[permutation[k]] = k }
        return SimplicialFactor(columnStart: columnStart, rowIndex: rowIndex, value: value, position: position)
    }

    private func freeWorkspace() {
        cholmod_l_free_dense(&rightHandSides, common)
        cholmod_l_free_dense(&solution, common)
        cholmod_l_free_dense(&workspaceY, common)
        cholmod_l_free_dense(&workspaceE, common)
    }

    /// Runs `body` on a CHOLMOD compressed-column copy of `matrix` (stype 1: upper triangle).
    private func withSparse<Result>(
        _ matrix: SparseUpperTriangle,
        _ body: (UnsafeMutablePointer<cholmod_sparse>) throws(CHOLMODError) -> Result
    ) throws(CHOLMODError) -> Result {
        let count = matrix.values.count
        var triplet = cholmod_l_allocate_triplet(dimension, dimension, count, 1, Int32(CHOLMOD_REAL), common)
        defer { cholmod_l_free_triplet(&triplet, common) }
        guard let tripletMatrix = triplet else { throw failure("cholmod_l_allocate_triplet") }
        let rowIndices = tripletMatrix.pointee.i.assumingMemoryBound(to: Int.self)
        let columnIndices = tripletMatrix.pointee.j.assumingMemoryBound(to: Int.self)
        let values = tripletMatrix.pointee.x.assumingMemoryBound(to: Double.self)
        for k in 0..<count {
            rowIndices[k] = matrix.rows[k]
            columnIndices[k] = matrix.columns[k]
            values[k] = matrix.values[k]
        }
        tripletMatrix.pointee.nnz = count

        // Duplicate (row, column) entries are summed here, which is how stamps accumulate.
        var sparse = cholmod_l_triplet_to_sparse(tripletMatrix, count, common)
        defer { cholmod_l_free_sparse(&sparse, common) }
        guard let sparseMatrix = sparse else { throw failure("cholmod_l_triplet_to_sparse") }
        return try body(sparseMatrix)
    }

    private func failure(_ operation: String) -> CHOLMODError {
        let status = common.pointee.status
        return CHOLMODError(code: status == CHOLMOD_OK ? CHOLMOD_INVALID : status, operation: operation)
    }
}

/// Allocates and starts a CHOLMOD workspace, with printing off: CHOLMOD reports through the
/// status code only, never on stderr. The caller frees it with `cholmod_l_finish` and
/// `deallocate`.
func startCHOLMOD() throws(CHOLMODError) -> UnsafeMutablePointer<cholmod_common> {
    let common = UnsafeMutablePointer<cholmod_common>.allocate(capacity: 1)
    guard cholmod_l_start(common) != 0 else {
        common.deallocate()
        throw CHOLMODError(code: CHOLMOD_INVALID, operation: "cholmod_l_start")
    }
    common.pointee.print = 0
    return common
}

/// The upper triangle (row <= column) of a symmetric matrix as (row, column, value)
/// triplets. Duplicate positions add up.
struct SparseUpperTriangle {
    let dimension: Int
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []

    init(dimension: Int) {
        self.dimension = dimension
    }

    mutating func add(_ row: Int, _ column: Int, _ value: Double) {
        rows.append(min(row, column))
        columns.append(max(row, column))
        values.append(value)
    }
}
