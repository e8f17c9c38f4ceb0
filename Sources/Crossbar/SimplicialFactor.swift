/// A Cholesky factor L with L L^T = P A P^T in compressed columns, for triangular solves
/// whose right-hand side has few nonzeros. Such a solve touches only the ancestors of
/// those nonzeros in the elimination tree, a small part of L.
struct SimplicialFactor {
    /// Column j's entries are at columnStart[j] ..< columnStart[j + 1], the diagonal first.
    let columnStart: [Int]
    let rowIndex: [Int]
    let value: [Double]
    /// position[node] is the row of P A P^T that unknown `node` of A becomes.
    let position: [Int]
    /// The elimination tree: the parent of column j, or -1 for a root.
    let parent: [Int]

    init(columnStart: [Int], rowIndex: [Int], value: [Double], position: [Int]) {
        self.columnStart = columnStart
        self.rowIndex = rowIndex
        self.value = value
        self.position = position
        // The parent of j is the first row below the diagonal that column j reaches.
        var parent = [Int](repeating: -1, count: position.count)
        for j in parent.indices {
            var first = Int.max
            for k in (columnStart[j] + 1)..<max(columnStart[j] + 1, columnStart[j + 1]) { first = min(first, rowIndex[k]) }
            if first != Int.max { parent[j] = first }
        }
        self.parent = parent
    }

    var dimension: Int { position.count }
}

/// A vector given by its nonzero positions, in increasing order, and their values.
struct SparseVector {
    var indices: [Int]
    var values: [Double]

    /// Returns the dot product with `other`, over the positions both contain.
    func dot(_ other: SparseVector) -> Double {
        var (a, b, sum) = (0, 0, 0.0)
        while a < indices.count && b < other.indices.count {
            if indices[a] == other.indices[b] {
                sum += values[a] * other.values[b]
                a += 1
                b += 1
            } else if indices[a] < other.indices[b] {
                a += 1
            } else {
                b += 1
            }
        }
        return sum
    }
}

/// Scratch space for sparse solves with one factor: a dense vector that is zero between
/// solves and the marks of the positions one solve reaches.
struct SparseSolveWork {
    var x: [Double]
    var marked: [Bool]

    init(dimension: Int) {
        x = [Double](repeating: 0, count: dimension)
        marked = [Bool](repeating: false, count: dimension)
    }
}

extension SimplicialFactor {
    /// Solves L y = P b for b given by (node, value) entries and returns y on its support.
    ///
    /// The support is the set of elimination-tree ancestors of b's positions. Visiting it
    /// in increasing order is a valid order for forward substitution, because every row
    /// that column j updates is an ancestor of j.
    func forwardSolve(_ entries: [(node: Int, siemens: Double)], work: inout SparseSolveWork) -> SparseVector {
        var reach: [Int] = []
        for entry in entries {
            var j = position[entry.node]
            work.x[j] += entry.siemens
            while j >= 0 && !work.marked[j] {
                work.marked[j] = true
                reach.append(j)
                j = parent[j]
            }
        }
        reach.sort()
        columnStart.withUnsafeBufferPointer { start in
            rowIndex.withUnsafeBufferPointer { row in
                value.withUnsafeBufferPointer { l in
                    work.x.withUnsafeMutableBufferPointer { x in
                        for j in reach {
                            let xj = x[j] / l[start[j]]
                            x[j] = xj
                            for k in (start[j] + 1)..<start[j + 1] { x[row[k]] -= l[k] * xj }
                        }
                    }
                }
            }
        }
        let values = reach.map { work.x[$0] }
        for j in reach {
            work.x[j] = 0
            work.marked[j] = false
        }
        return SparseVector(indices: reach, values: values)
    }
}
