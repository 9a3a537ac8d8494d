import Foundation
import NewtCore
import NewtRareEvents

extension ImportancePilot.Parts {
    static let magic = Array("NEWTPIL1".utf8)

    /// The pilot's file: its proposal and design point bit for bit, sealed with a SHA-256.
    ///
    ///     "NEWTPIL1" · nx · ny · α · β · pilot trials · pilot s · J · (source · direction)×J · m · Σ · SHA-256
    var bytes: [UInt8] {
        var w = BinaryWriter()
        w.raw(Self.magic)
        w.int(nx)
        w.int(ny)
        w.double(defensive)
        w.double(beta)
        w.int(pilotTrials)
        w.double(elapsed)
        w.int(directions.count)
        for (s, d) in zip(sources, directions) {
            w.int(s)
            w.floats(d)
        }
        w.doubles(mean)
        w.doubles(covariance)
        w.seal()
        return w.bytes
    }

    /// Reads a pilot's file; throws when it is truncated, corrupt or not a pilot.
    init(bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        guard try r.raw(Self.magic.count) == Self.magic else { throw BinaryReader.Malformed(description: "not an importance-sampling pilot") }
        let nx = try r.int(), ny = try r.int()
        let defensive = try r.double(), beta = try r.double()
        let pilotTrials = try r.int()
        let elapsed = try r.double()
        let k = try r.int()
        guard (0...16).contains(k) else { throw BinaryReader.Malformed(description: "impossible direction count \(k)") }
        var sources: [Int] = [], directions: [[Float]] = []
        for _ in 0..<k {
            sources.append(try r.int())
            directions.append(try r.floats())
        }
        let mean = try r.doubles(), covariance = try r.doubles()
        try r.unseal(from: 0)
        guard r.remaining == 0 else { throw BinaryReader.Malformed(description: "trailing bytes") }
        self.init(directions: directions, sources: sources, mean: mean, covariance: covariance, nx: nx, ny: ny,
                  defensive: defensive, beta: beta, pilotTrials: pilotTrials, elapsed: elapsed)
    }
}
