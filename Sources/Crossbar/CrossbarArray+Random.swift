import DeviceModel

extension CrossbarArray {
    /// Draws a tile whose G+ and G- are uniform in `siemens`, G+ before G- for each cell in
    /// row-major order, for circuit tests and example netlists.
    public static func uniformRandom(rows: Int, columns: Int, siemens: ClosedRange<Double>,
                                     generator: RandomGenerator) -> CrossbarArray {
        func draw() -> Float {
            Float(siemens.lowerBound + (siemens.upperBound - siemens.lowerBound) * generator.uniform())
        }
        var plus = [Float](), minus = [Float]()
        for _ in 0..<(rows * columns) {
            plus.append(draw())
            minus.append(draw())
        }
        return CrossbarArray(rows: rows, columns: columns, plusSiemens: plus, minusSiemens: minus)
    }
}
