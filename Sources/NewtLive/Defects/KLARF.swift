import Foundation

/// A defect inspection result in KLARF (KLA Results File), versions 1.2 (flat statements) and 1.8
/// (nested records): per wafer, the defects with their positions, sizes and classes, and the
/// inspected area that turns counts into densities.
///
/// Units: positions and sizes in µm as in the file (XREL/YREL relative to the die origin, XINDEX/
/// YINDEX the die), areas in cm² (the file's µm² × 10⁻⁸).
public struct KLARF: Sendable, Equatable {
    /// One inspected wafer.
    public struct Wafer: Sendable, Equatable {
        /// Lot and wafer identifiers, and the process step (may be empty).
        public var lot: String, wafer: String, step: String
        /// The inspected area in cm² (nil when the file states neither AreaPerTest nor a test plan
        /// with a die pitch: the caller supplies it).
        public var inspectedArea: Double?
        /// The defects, in file order.
        public var defects: [Defect]

        /// A wafer.
        public init(lot: String, wafer: String, step: String = "", inspectedArea: Double? = nil, defects: [Defect] = []) {
            (self.lot, self.wafer, self.step, self.inspectedArea, self.defects) = (lot, wafer, step, inspectedArea, defects)
        }
    }

    /// One defect.
    public struct Defect: Sendable, Equatable {
        /// DEFECTID.
        public var id: Int
        /// XREL, YREL in µm within the die; XINDEX, YINDEX the die.
        public var x: Double, y: Double, dieX: Int, dieY: Int
        /// DSIZE in µm (0 when absent).
        public var size: Double
        /// CLASSNUMBER (0 when absent).
        public var classNumber: Int

        /// A defect.
        public init(id: Int, x: Double, y: Double, dieX: Int, dieY: Int, size: Double = 0, classNumber: Int = 0) {
            (self.id, self.x, self.y, self.dieX, self.dieY, self.size, self.classNumber) = (id, x, y, dieX, dieY, size, classNumber)
        }
    }

    /// A malformed file: where (1-based line), which field, and what is wrong.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int, field: String, message: String
        public var description: String { "KLARF line \(line), \(field): \(message)" }
    }

    /// "1.2" or "1.8".
    public var version: String
    /// Class number → class name (ClassLookup).
    public var classes: [Int: String]
    /// The wafers, in file order.
    public var wafers: [Wafer]

    /// A file.
    public init(version: String, classes: [Int: String] = [:], wafers: [Wafer]) {
        (self.version, self.classes, self.wafers) = (version, classes, wafers)
    }
}
