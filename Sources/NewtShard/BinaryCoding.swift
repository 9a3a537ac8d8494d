import Foundation
import NewtCore

/// Appends values to a byte buffer in a fixed little-endian layout (integers as 64 bits, reals
/// by their IEEE bit patterns, so NaN and ±∞ survive and every value reads back bit for bit).
struct BinaryWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ b: [UInt8]) { bytes += b }

    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }

    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }

    mutating func double(_ v: Double) { u64(v.bitPattern) }

    mutating func doubles(_ v: [Double]) {
        int(v.count)
        for x in v { double(x) }
    }

    mutating func floats(_ v: [Float]) {
        int(v.count)
        for x in v { let b = x.bitPattern; for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: b >> (8 * UInt32(i)))) } }
    }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        int(utf8.count)
        bytes += utf8
    }

    /// Appends the SHA-256 of everything written so far (the record's checksum).
    mutating func seal() { bytes += SHA256.digest(bytes) }
}

/// Reads what ``BinaryWriter`` wrote; every read past the end or of an impossible length throws.
struct BinaryReader {
    private let bytes: [UInt8]
    private(set) var offset: Int

    /// A reader of `bytes` from `offset`.
    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not yet read.
    var remaining: Int { bytes.count - offset }

    /// The error of a truncated or malformed record.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    mutating func raw(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= remaining else { throw Malformed(description: "truncated at byte \(offset)") }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func u64() throws -> UInt64 {
        guard remaining >= 8 else { throw Malformed(description: "truncated at byte \(offset)") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }

    mutating func double() throws -> Double { Double(bitPattern: try u64()) }

    /// A count that the remaining bytes can hold at `width` bytes per item.
    private mutating func count(width: Int) throws -> Int {
        let n = try int()
        guard n >= 0, n <= remaining / width else { throw Malformed(description: "impossible length \(n) at byte \(offset)") }
        return n
    }

    mutating func doubles() throws -> [Double] {
        let n = try count(width: 8)
        return try (0..<n).map { _ in try double() }
    }

    mutating func floats() throws -> [Float] {
        let n = try count(width: 4)
        var out = [Float](repeating: 0, count: n)
        for k in 0..<n {
            var b: UInt32 = 0
            for i in 0..<4 { b |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            out[k] = Float(bitPattern: b)
        }
        return out
    }

    mutating func string() throws -> String {
        let n = try count(width: 1)
        return String(decoding: try raw(n), as: UTF8.self)
    }

    /// Checks that the 32 bytes after the record (from `start` to here) are its SHA-256, and skips them.
    mutating func unseal(from start: Int) throws {
        let expected = SHA256.digest(bytes[start..<offset])
        guard try raw(32) == expected else { throw Malformed(description: "checksum mismatch") }
    }
}
