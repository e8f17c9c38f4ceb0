import CBLAS

/// Single-precision matrix products from OpenBLAS, the only place this package calls BLAS.
/// All matrices are row-major.
public enum BLAS {
    /// C = alpha * A * B + beta * C for A (m x k, leading dimension lda), B (k x n, ldb)
    /// and C (m x n, ldc). With `transposeA`, A is stored k x m and used transposed.
    @inline(__always)
    public static func sgemm(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The largest m * n * k for which OpenBLAS 0.3.21 runs sgemm through its small-matrix
    /// kernels, on the cores that have them (Cooperlake does). Those kernels read A and B
    /// in place instead of packing them into buffers first. The limit was found by timing:
    /// 122 x 64 x 128 ran the small kernel and 124 x 64 x 128 did not.
    public static let smallProductLimit = 1_000_000

    /// Computes the same product as `sgemm` with one call per block of consecutive rows of
    /// A and C, each small enough for `smallProductLimit`. A tile product has 128 or fewer
    /// columns, and under `perf` packing A took about a third as long as the multiply.
    /// Every element of C still comes from one call, so the blocks sum the same products.
    @inline(__always)
    public static func sgemmInRowBlocks(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let blockRows = max(1, smallProductLimit / max(1, n * k))
        var first = 0
        while first < m {
            let count = min(blockRows, m - first)
            sgemm(m: count, n: n, k: k, alpha: alpha,
                  a: transposeA ? a + first : a + first * lda, lda: lda, transposeA: transposeA,
                  b: b, ldb: ldb, beta: beta, c: c + first * ldc, ldc: ldc)
            first += count
        }
    }

    /// The same product with B transposed: C = alpha * A * B^T + beta * C, B stored n x k.
    @inline(__always)
    public static func sgemmTransposedB(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Computes C = A^T B in double precision for A (k x m, lda), B (k x n, ldb) and C (m x n, ldc).
    public static func dgemmTransposedA(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                        b: UnsafePointer<Double>, ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }

    /// Sets the number of threads OpenBLAS uses inside one call. The Monte Carlo runner
    /// sets 1 and parallelizes over work units itself, so that results do not depend on
    /// how OpenBLAS splits a product.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// The CPU kernel OpenBLAS selected, for example "Haswell" or "SkylakeX".
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// OpenBLAS's build configuration string.
    public static var configuration: String {
        openblas_get_config().map { String(cString: $0) } ?? "unknown"
    }
}
