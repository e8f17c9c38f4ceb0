/// The effective matrix M from sparse forward solves. Every input drives the network
/// through one or two nodes at the start of its word line (B), and every column current can
/// be measured at one or two nodes at the end of its bit line (C'), so with A = P^T L L^T P,
///
///     M_ij = b_i^T A^-1 c'_j + D'_ji = (L^-1 P b_i) . (L^-1 P c'_j) + D'_ji,
///
/// and each L^-1 P b is a forward solve that touches only the elimination-tree ancestors
/// of one or two positions, not all of L.
extension TileNetwork {
    /// Returns the column currents as C'^T x + D' V with at most two unknowns per column:
    /// the current through sense amplifier j. Returns nil when a 0-ohm bit line ends in a
    /// 0-ohm sense amplifier, because then the whole column is ground and only its cells
    /// carry the current.
    func senseSideExtractions(siemens: [Float]) -> (extractions: [[NodalSystem.Entry]], direct: [Double])? {
        var extractions = [[NodalSystem.Entry]](repeating: [], count: columns)
        var direct = [Double](repeating: 0, count: columns * rows)
        let last = rows - 1
        for j in 0..<columns {
            if wires.senseOhms > 0 {
                // I_j = (w - 0) / senseOhms at the bit-line node of the last row.
                guard case let .unknown(q) = bitLine(last, j) else { return nil }
                extractions[j] = [(q, 1 / wires.senseOhms)]
            } else if wires.bitLineSegmentOhms > 0 {
                // The last node is ground: I_j is the current of its segment and its cell.
                if rows > 1, case let .unknown(q) = bitLine(last - 1, j) {
                    extractions[j].append((q, 1 / wires.bitLineSegmentOhms))
                }
                let g = Double(siemens[last * columns + j])
                switch wordLine(last, j) {
                case let .unknown(p): extractions[j].append((p, g))
                case let .input(k): direct[j * rows + k] += g
                case .ground: break
                }
            } else {
                return nil
            }
        }
        return (extractions, direct)
    }

    /// Solves one array through its port nodes, or returns nil when an input or a column
    /// touches too many nodes for sparse solves to pay (0-ohm word lines with 0-ohm
    /// drivers, or 0-ohm bit lines with 0-ohm sense amplifiers).
    func solveThroughPorts(_ system: NodalSystem, siemens: [Float],
                           with cholesky: SparseCholesky) throws(CHOLMODError) -> ArraySolution? {
        let portLimit = 4
        guard system.injections.allSatisfy({ $0.count <= portLimit }),
              let (extractions, direct) = senseSideExtractions(siemens: siemens),
              extractions.allSatisfy({ $0.count <= portLimit }) else { return nil }
        let factor = try cholesky.simplicialFactor()
        var work = SparseSolveWork(dimension: factor.dimension)
        let inputs = system.injections.map { factor.forwardSolve($0, work: &work) }
        let outputs = extractions.map { factor.forwardSolve($0, work: &work) }

        var effective = transposed(direct)
        addProducts(inputs, outputs, dimension: factor.dimension, into: &effective)
        let allInputs = factor.forwardSolve(system.injections.flatMap { $0 }, work: &work)
        func voltage(_ node: NetworkNode) -> Double {
            switch node {
            case let .unknown(p): factor.forwardSolve([(p, 1)], work: &work).dot(allInputs)
            case .input: 1
            case .ground: 0
            }
        }
        let farCorner = 1 - (voltage(wordLine(0, columns - 1)) - voltage(bitLine(0, columns - 1)))
        return ArraySolution(effectiveSiemens: effective, farCornerRelativeError: farCorner)
    }

    /// Adds inputs[i] . outputs[j] to effective[i * columns + j] with one dense product
    /// over the positions that any of the vectors holds.
    private func addProducts(_ inputs: [SparseVector], _ outputs: [SparseVector], dimension: Int,
                             into effective: inout [Double]) {
        var compact = [Int](repeating: -1, count: dimension)
        var used = 0
        for vector in inputs + outputs {
            for index in vector.indices where compact[index] < 0 {
                compact[index] = used
                used += 1
            }
        }
        func dense(_ vectors: [SparseVector]) -> [Double] {
            var matrix = [Double](repeating: 0, count: used * vectors.count)
            for (column, vector) in vectors.enumerated() {
                for (index, value) in zip(vector.indices, vector.values) {
                    matrix[compact[index] * vectors.count + column] = value
                }
            }
            return matrix
        }
        let left = dense(inputs), right = dense(outputs)
        var products = [Double](repeating: 0, count: rows * columns)
        left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in
                products.withUnsafeMutableBufferPointer { c in
                    BLAS.dgemmTransposedA(m: rows, n: columns, k: used, a: a.baseAddress!, lda: rows,
                                          b: b.baseAddress!, ldb: columns, c: c.baseAddress!, ldc: columns)
                }
            }
        }
        for k in effective.indices { effective[k] += products[k] }
    }
}
