/// The physical nodes of one array and their elimination order for `PortNetwork`.
///
/// Node ids before numbering: word-line node (i, j) is i * C + j, and bit-line node (i, j)
/// is R * C + i * C + j. Input i is 2 R C + i, and sense node j is 2 R C + R + j. A 0-ohm
/// driver makes word-line node (i, 0) the input node itself, and a 0-ohm sense amplifier
/// makes bit-line node (R - 1, j) the sense node.
struct GridNodes {
    struct Edge {
        var a: Int
        var b: Int
        var siemens: Double
        /// The row-major index of a cell, whose conductance each array sets. Nil for a wire.
        var cell: Int?
    }

    let rows: Int
    let columns: Int
    let wires: WireResistance
    /// number[id]: the node's row in the nodal matrix, after `number(_:)`.
    private var number: [Int] = []

    init(rows: Int, columns: Int, wires: WireResistance) {
        self.rows = rows
        self.columns = columns
        self.wires = wires
    }

    private var gridCount: Int { rows * columns }
    func input(_ i: Int) -> Int { 2 * gridCount + i }
    func sense(_ j: Int) -> Int { 2 * gridCount + rows + j }

    func wordLine(_ i: Int, _ j: Int) -> Int {
        j == 0 && wires.driverOhms == 0 ? input(i) : i * columns + j
    }

    func bitLine(_ i: Int, _ j: Int) -> Int {
        i == rows - 1 && wires.senseOhms == 0 ? sense(j) : gridCount + i * columns + j
    }

    private func isPort(_ id: Int) -> Bool { id >= 2 * gridCount }

    /// The inner nodes among the far-corner cell's terminals.
    private var corners: [Int] {
        [wordLine(0, columns - 1), bitLine(0, columns - 1)].filter { !isPort($0) }
    }

    /// Returns every wire and cell, between numbered nodes once `number(_:)` has run.
    func edges() -> [Edge] {
        let id = { (node: Int) in number.isEmpty ? node : number[node] }
        var edges = [Edge]()
        edges.reserveCapacity(3 * gridCount + rows + columns)
        for i in 0..<rows {
            for j in 0..<columns {
                edges.append(Edge(a: id(wordLine(i, j)), b: id(bitLine(i, j)), siemens: 0, cell: i * columns + j))
            }
        }
        for i in 0..<rows {
            for j in 0..<(columns - 1) {
                edges.append(Edge(a: id(wordLine(i, j)), b: id(wordLine(i, j + 1)), siemens: 1 / wires.wordLineSegmentOhms))
            }
        }
        for j in 0..<columns {
            for i in 0..<(rows - 1) {
                edges.append(Edge(a: id(bitLine(i, j)), b: id(bitLine(i + 1, j)), siemens: 1 / wires.bitLineSegmentOhms))
            }
        }
        if wires.driverOhms > 0 {
            for i in 0..<rows { edges.append(Edge(a: id(input(i)), b: id(wordLine(i, 0)), siemens: 1 / wires.driverOhms)) }
        }
        if wires.senseOhms > 0 {
            for j in 0..<columns { edges.append(Edge(a: id(bitLine(rows - 1, j)), b: id(sense(j)), siemens: 1 / wires.senseOhms)) }
        }
        return edges
    }

    /// Returns a conductance from every port to the reference node, as large as the wire
    /// that joins the port to its line. Without it the matrix is singular, because no node is
    /// tied to the reference. It changes only the diagonal of the port block, and M comes
    /// from the entries between inputs and sense nodes, so M stays exact.
    func regularization() -> [(node: Int, siemens: Double)] {
        let inputSiemens = 1 / (wires.driverOhms > 0 ? wires.driverOhms : wires.wordLineSegmentOhms)
        let senseSiemens = 1 / (wires.senseOhms > 0 ? wires.senseOhms : wires.bitLineSegmentOhms)
        return (0..<rows).map { (number[input($0)], inputSiemens) }
            + (0..<columns).map { (number[sense($0)], senseSiemens) }
    }

    mutating func number(_ order: [Int]) {
        number = [Int](repeating: -1, count: 2 * gridCount + rows + columns)
        for (position, id) in order.enumerated() { number[id] = position }
    }

    func terminal(_ id: Int) -> PortNetwork.Terminal {
        if id >= sense(0) { return .sense }
        if id >= input(0) { return .input }
        return .corner(index: number[id] - number[corners[0]])
    }

    /// Returns the node ids in elimination order and the number of corner nodes among them.
    mutating func eliminationOrder() -> (order: [Int], cornerCount: Int) {
        let corners = corners
        var inner = [Int]()
        inner.reserveCapacity(2 * gridCount)
        var dissection = NestedDissection(grid: self, skip: Set(corners))
        dissection.order(into: &inner)
        let trailing = corners + (0..<columns).map(sense) + (0..<rows).map(input)
        number(inner + trailing)
        let postordered = innerPostorder(innerCount: inner.count).map { inner[$0] }
        return (postordered + trailing, corners.count)
    }

    /// Orders the inner nodes so that every subtree of the elimination tree is contiguous,
    /// which lets CHOLMOD group columns into supernodes, and keeps the ports last.
    /// CHOLMOD's own postorder would move an inner subtree whose parent is a port (a line
    /// that touches only ports) in between the ports. The fill is the same in any order that
    /// puts every node before its parent.
    private func innerPostorder(innerCount: Int) -> [Int] {
        let count = number.filter { $0 >= 0 }.count
        var lower = [[Int]](repeating: [], count: count)
        for edge in edges() {
            let (a, b) = (min(edge.a, edge.b), max(edge.a, edge.b))
            lower[b].append(a)
        }

        // Liu's algorithm: the parent of j is the first later column its factor column reaches.
        var parent = [Int](repeating: -1, count: count)
        var ancestor = [Int](repeating: -1, count: count)
        for k in 0..<count {
            for i in lower[k] {
                var node = i
                while ancestor[node] != -1 && ancestor[node] != k {
                    let next = ancestor[node]
                    ancestor[node] = k
                    node = next
                }
                if ancestor[node] == -1 {
                    ancestor[node] = k
                    parent[node] = k
                }
            }
        }

        var children = [[Int]](repeating: [], count: innerCount)
        var roots = [Int]()
        for node in 0..<innerCount {
            if parent[node] >= 0 && parent[node] < innerCount {
                children[parent[node]].append(node)
            } else {
                roots.append(node)
            }
        }

        var order = [Int]()
        order.reserveCapacity(innerCount)
        var stack = [(node: Int, next: Int)]()
        for root in roots {
            stack.append((root, 0))
            while let top = stack.last {
                if top.next < children[top.node].count {
                    stack[stack.count - 1].next += 1
                    stack.append((children[top.node][top.next], 0))
                } else {
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}

/// Nested dissection of the inner nodes of a grid. A region is a rectangle of word-line
/// nodes and a rectangle of bit-line nodes. The bit-line nodes of one row separate the rows
/// above from the rows below, because word lines run along rows, so the word-line nodes of
/// that row join the upper part. In the same way the word-line nodes of one column separate
/// the columns left of it from those right of it. Each separator is eliminated after both
/// halves.
struct NestedDissection {
    struct Rectangle {
        var top: Int, bottom: Int, left: Int, right: Int
        var count: Int { max(0, bottom - top) * max(0, right - left) }
    }

    let grid: GridNodes
    let skip: Set<Int>
    /// Regions of at most this many nodes are eliminated in row order.
    let leafSize = 8

    init(grid: GridNodes, skip: Set<Int>) {
        self.grid = grid
        self.skip = skip
    }

    mutating func order(into order: inout [Int]) {
        let all = Rectangle(top: 0, bottom: grid.rows, left: 0, right: grid.columns)
        dissect(wordLines: all, bitLines: all, into: &order)
    }

    private func emit(_ id: Int, into order: inout [Int]) {
        if id < 2 * grid.rows * grid.columns && !skip.contains(id) { order.append(id) }
    }

    private func emitAll(wordLines u: Rectangle, bitLines w: Rectangle, into order: inout [Int]) {
        for i in u.top..<max(u.top, u.bottom) {
            for j in u.left..<max(u.left, u.right) { emit(grid.wordLine(i, j), into: &order) }
        }
        for i in w.top..<max(w.top, w.bottom) {
            for j in w.left..<max(w.left, w.right) { emit(grid.bitLine(i, j), into: &order) }
        }
    }

    private func dissect(wordLines u: Rectangle, bitLines w: Rectangle, into order: inout [Int]) {
        let total = u.count + w.count
        guard total > leafSize else {
            emitAll(wordLines: u, bitLines: w, into: &order)
            return
        }
        let top = min(u.count > 0 ? u.top : .max, w.count > 0 ? w.top : .max)
        let bottom = max(u.count > 0 ? u.bottom : .min, w.count > 0 ? w.bottom : .min)
        let left = min(u.count > 0 ? u.left : .max, w.count > 0 ? w.left : .max)
        let right = max(u.count > 0 ? u.right : .min, w.count > 0 ? w.right : .min)

        let parts: [(Rectangle, Rectangle)]
        let separator: (Rectangle, Rectangle)
        if bottom - top >= right - left {
            let m = (top + bottom) / 2
            // Bit-line row m separates; the word lines of row m go up.
            parts = [(Rectangle(top: u.top, bottom: min(u.bottom, m + 1), left: u.left, right: u.right),
                      Rectangle(top: w.top, bottom: min(w.bottom, m), left: w.left, right: w.right)),
                     (Rectangle(top: max(u.top, m + 1), bottom: u.bottom, left: u.left, right: u.right),
                      Rectangle(top: max(w.top, m + 1), bottom: w.bottom, left: w.left, right: w.right))]
            let rowInside = m >= w.top && m < w.bottom
            separator = (Rectangle(top: 0, bottom: 0, left: 0, right: 0),
                         Rectangle(top: m, bottom: rowInside ? m + 1 : m, left: w.left, right: w.right))
        } else {
            let m = (left + right) / 2
            // Word-line column m separates; the bit lines of column m go left.
            parts = [(Rectangle(top: u.top, bottom: u.bottom, left: u.left, right: min(u.right, m)),
                      Rectangle(top: w.top, bottom: w.bottom, left: w.left, right: min(w.right, m + 1))),
                     (Rectangle(top: u.top, bottom: u.bottom, left: max(u.left, m + 1), right: u.right),
                      Rectangle(top: w.top, bottom: w.bottom, left: max(w.left, m + 1), right: w.right))]
            let columnInside = m >= u.left && m < u.right
            separator = (Rectangle(top: u.top, bottom: u.bottom, left: m, right: columnInside ? m + 1 : m),
                         Rectangle(top: 0, bottom: 0, left: 0, right: 0))
        }

        // A split that leaves one part with every node would recurse forever.
        guard parts.allSatisfy({ $0.0.count + $0.1.count < total }) else {
            emitAll(wordLines: u, bitLines: w, into: &order)
            return
        }
        for (partWordLines, partBitLines) in parts {
            dissect(wordLines: partWordLines, bitLines: partBitLines, into: &order)
        }
        emitAll(wordLines: separator.0, bitLines: separator.1, into: &order)
    }
}
