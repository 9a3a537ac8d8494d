import Foundation

/// JSON has no NaN or infinity: objects meant for `JSONSerialization` with such numbers in them
/// carry `null` there instead (an undefined statistic reads as missing, not as a failed write).
public enum JSONFinite {
    /// `object` with every non-finite `Double` or `Float`, at any depth of arrays and dictionaries,
    /// replaced by `NSNull()`.
    public static func sanitized(_ object: Any) -> Any {
        switch object {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let f as Float: return f.isFinite ? f : NSNull()
        case let a as [Any]: return a.map(sanitized)
        case let o as [String: Any]: return o.mapValues(sanitized)
        default: return object
        }
    }
}
