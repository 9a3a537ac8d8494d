extension SourceOptimizer {
    /// Lays per-pixel values onto the n × n σ grid (n = ``gridPoints``), row-major with row 0 at
    /// σy = +1 and column 0 at σx = −1, the picture orientation; cells outside the pupil are 0.
    public func raster(_ values: [Double]) -> [Double] {
        precondition(values.count == pixels.count, "one value per source pixel")
        let n = gridPoints, h = 2.0 / Double(n)
        var grid = [Double](repeating: 0, count: n * n)
        for (k, p) in pixels.enumerated() {
            let i = Int(((p.x + 1) / h - 0.5).rounded()), j = Int(((p.y + 1) / h - 0.5).rounded())
            grid[(n - 1 - j) * n + i] = values[k]
        }
        return grid
    }
}
