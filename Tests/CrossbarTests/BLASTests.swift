import Crossbar
import Testing

@Suite struct BLASTests {
    /// A product of 300 rows, split into row blocks of 122, 122 and 56 rows.
    static let (m, n, k) = (300, 64, 128)

    static func values(_ count: Int, step: Int) -> [Float] {
        (0..<count).map { Float(($0 * step) % 17) / 17 - 0.5 }
    }

    @Test(arguments: [false, true], [Float(0), 1])
    func rowBlocksMatchDirectProduct(transposeA: Bool, beta: Float) {
        let (m, n, k) = (Self.m, Self.n, Self.k)
        #expect(BLAS.smallProductLimit / (n * k) < m, "the product must span several row blocks")
        let a = Self.values(m * k, step: 5)
        let b = Self.values(k * n, step: 7)
        let start = Self.values(m * n, step: 3)
        var c = start
        BLAS.sgemmInRowBlocks(m: m, n: n, k: k, alpha: 2, a: a, lda: transposeA ? m : k, transposeA: transposeA,
                              b: b, ldb: n, beta: beta, c: &c, ldc: n)
        var largestError = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let left = transposeA ? a[p * m + i] : a[i * k + p]
                    sum += Double(left) * Double(b[p * n + j])
                }
                let expected = 2 * sum + Double(beta) * Double(start[i * n + j])
                largestError = max(largestError, abs(Double(c[i * n + j]) - expected))
            }
        }
        #expect(largestError < 1e-4, "largest error \(largestError)")
    }
}
