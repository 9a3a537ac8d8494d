import Foundation

/// One response of the study's model over the focus–exposure plane: a value at each grid node
/// (focus rows, dose columns), read between nodes by bilinear interpolation.
///
/// Units: focus in nm, dose in mJ/cm², values in the response's own unit. A node may be NaN (the
/// study found no print there); a reading next to one is NaN. With `logarithmic`, interpolation is
/// in ln value (defect densities, which change by decades across a cell) and zero nodes read as 0.
public struct ResponseSurface: Sendable, Codable, Equatable {
    /// Focus values in nm, ascending (rows).
    public var focuses: [Double]
    /// Doses in mJ/cm², ascending (columns).
    public var doses: [Double]
    /// values[row][column].
    public var values: [[Double]]
    /// Whether to interpolate ln value.
    public var logarithmic: Bool

    /// A surface over ascending `focuses` × `doses`.
    public init(focuses: [Double], doses: [Double], values: [[Double]], logarithmic: Bool = false) {
        precondition(focuses.count >= 2 && doses.count >= 2, "a surface needs at least 2 × 2 nodes")
        precondition(values.count == focuses.count && values.allSatisfy { $0.count == doses.count })
        (self.focuses, self.doses, self.values, self.logarithmic) = (focuses, doses, values, logarithmic)
    }

    /// The focus range covered, nm.
    public var focusRange: ClosedRange<Double> { focuses.first!...focuses.last! }
    /// The dose range covered, mJ/cm².
    public var doseRange: ClosedRange<Double> { doses.first!...doses.last! }

    /// The value at (dose, focus), clamped to the grid's edges.
    public func value(dose: Double, focus: Double) -> Double {
        let (i, s) = Self.cell(focuses, focus), (j, t) = Self.cell(doses, dose)
        func node(_ a: Int, _ b: Int) -> Double {
            let v = values[a][b]
            return logarithmic ? (v > 0 ? log(v) : -.infinity) : v
        }
        /// (1 − u)·a + u·b, exact at the ends (so a zero node's −∞ stays out of its neighbours).
        func mix(_ a: Double, _ b: Double, _ u: Double) -> Double { u == 0 ? a : u == 1 ? b : (1 - u) * a + u * b }
        let v = mix(mix(node(i, j), node(i, j + 1), t), mix(node(i + 1, j), node(i + 1, j + 1), t), s)
        return logarithmic ? exp(v) : v
    }

    /// The cell [k, k+1] holding x (clamped) and the fraction of the way across it.
    static func cell(_ axis: [Double], _ x: Double) -> (Int, Double) {
        let c = min(max(x, axis.first!), axis.last!)
        var k = 0
        while k < axis.count - 2 && axis[k + 1] <= c { k += 1 }
        return (k, (c - axis[k]) / (axis[k + 1] - axis[k]))
    }
}
