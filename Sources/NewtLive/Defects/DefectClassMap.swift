import Foundation

/// Which inspection classes are bridges and which are breaks: the link between a KLARF's classes
/// and the study's two stochastic defects. Classes in neither set are counted as other defects.
///
/// By default a class whose name contains "bridge" or "short" is a bridge and one containing
/// "break" or "open" is a break (case-insensitive), so the real file's "0.3_short" and "0.5_open"
/// map as a yield engineer would read them; explicit class numbers override names.
public struct DefectClassMap: Sendable, Equatable {
    /// What a class counts as.
    public enum Kind: String, Sendable, Codable, CaseIterable { case bridge, `break`, other }

    /// Name fragments of each kind (lower case).
    public var bridgeWords = ["bridge", "short"], breakWords = ["break", "open"]
    /// Class numbers set explicitly (they win over names).
    public var numbers: [Int: Kind] = [:]

    /// The default map.
    public init() {}

    /// The kind of class `number` named `name` (nil name: numbers only).
    public func kind(number: Int, name: String?) -> Kind {
        if let k = numbers[number] { return k }
        guard let n = name?.lowercased() else { return .other }
        if bridgeWords.contains(where: { n.contains($0) }) { return .bridge }
        if breakWords.contains(where: { n.contains($0) }) { return .break }
        return .other
    }

    /// Bridges, breaks and other defects of `wafer` under the file's class names.
    public func counts(_ wafer: KLARF.Wafer, classes: [Int: String]) -> (bridges: Int, breaks: Int, other: Int) {
        var out = (bridges: 0, breaks: 0, other: 0)
        for d in wafer.defects {
            switch kind(number: d.classNumber, name: classes[d.classNumber]) {
            case .bridge: out.bridges += 1
            case .break: out.breaks += 1
            case .other: out.other += 1
            }
        }
        return out
    }
}
