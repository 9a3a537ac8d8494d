import Foundation
import NewtCore

/// Typed, range-checked access to a ``CaseDocument``; every error names the key, value and range.
struct CaseReader {
    let document: CaseDocument

    func number(_ key: String) throws -> Double {
        guard case let .number(range) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        return try Self.number(document.value(key), key: key, range: range)
    }

    func optionalNumber(_ key: String) throws -> Double? {
        guard case let .optionalNumber(range) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        let v = document.value(key)
        if case .scalar("auto") = v { return nil }
        guard case let .scalar(s) = v, let x = Double(s), range.contains(x) else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "auto, or a number \(range.text)")
        }
        return x
    }

    func flag(_ key: String) throws -> Bool { try choice(key) == "true" }

    func integer(_ key: String) throws -> Int {
        guard case let .integer(range) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        let v = document.value(key)
        guard case let .scalar(s) = v, let i = Int(s), range.contains(i) else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "an integer \(range.lowerBound) ≤ value ≤ \(range.upperBound)")
        }
        return i
    }

    func choice(_ key: String) throws -> String {
        guard case let .choice(options) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        let v = document.value(key)
        guard case let .scalar(s) = v, options.contains(s) else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "one of " + options.joined(separator: ", "))
        }
        return s
    }

    func text(_ key: String) throws -> String {
        let v = document.value(key)
        switch v {
        case let .scalar(s): return (s == "~" || s == "null") ? "" : s
        default: throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "a plain text value")
        }
    }

    func numberList(_ key: String) throws -> [Double] {
        guard case let .numberList(range) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        let v = document.value(key)
        guard case let .list(items) = v, !items.isEmpty else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "a non-empty list of numbers, each \(range.text)")
        }
        return try items.map { try Self.number($0, key: key, range: range) }
    }

    func records(_ key: String) throws -> [[String: Double]] {
        guard case let .records(fields) = CaseSchema.spec(key)!.kind else { preconditionFailure(key) }
        let v = document.value(key)
        let shape = "{" + fields.map { "\($0.field): number" }.joined(separator: ", ") + "}"
        guard case let .list(items) = v else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "a list of \(shape)")
        }
        return try items.enumerated().map { (i, item) in
            guard case let .map(pairs) = item else {
                throw NewtError.invalidInput(key: "\(key)[\(i)]", value: item.flowText, allowed: shape)
            }
            var record: [String: Double] = [:]
            for (k, val) in pairs {
                guard let f = fields.first(where: { $0.field == k }) else {
                    throw NewtError.unknownKey(key: "\(key)[\(i)].\(k)", value: val.flowText, allowed: fields.map(\.field).joined(separator: ", "))
                }
                record[k] = try Self.number(val, key: "\(key)[\(i)].\(k)", range: f.range)
            }
            for f in fields where record[f.field] == nil {
                throw NewtError.invalidInput(key: "\(key)[\(i)].\(f.field)", value: "missing", allowed: "a number, \(f.range.text)")
            }
            return record
        }
    }

    func zernike(_ key: String) throws -> FringeZernikeTerms {
        let v = document.value(key)
        guard case let .map(pairs) = v else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "a map {index: waves} with indices 1–37")
        }
        var terms: [Int: Double] = [:]
        for (k, val) in pairs {
            guard let j = Int(k), (1...37).contains(j) else {
                throw NewtError.invalidInput(key: "\(key).\(k)", value: val.flowText, allowed: "fringe indices 1 ≤ index ≤ 37")
            }
            terms[j] = try Self.number(val, key: "\(key).\(k)", range: .closed(-10, 10))
        }
        return terms
    }

    static func number(_ v: CaseValue, key: String, range: NumericRange) throws -> Double {
        guard case let .scalar(s) = v, let x = Double(s), range.contains(x) else {
            throw NewtError.invalidInput(key: key, value: v.flowText, allowed: "a number, \(range.text)")
        }
        return x
    }
}

typealias FringeZernikeTerms = [Int: Double]
