import Foundation
import NewtCore
import NewtCase
import NewtMetrology
import NewtRareEvents

extension ShardRunFolder {
    /// The pilot file of estimator number `e`, relative to the run folder.
    static func pilotPath(_ e: Int) -> String { "pilots/pilot-\(number(e)).bin" }

    /// The stored pilot of an importance-sampling estimator, checked against the SHA-256 in the
    /// manifest, rebuilt on the run's case `c`.
    public func pilot(_ e: ShardManifest.Estimator, case c: Case) throws -> ImportancePilot {
        guard let i = e.importance else { throw NewtError.numerical("estimator \(e.kind) at \(e.doseMJcm2) mJ/cm² is not importance sampling") }
        let url = url.appendingPathComponent(i.pilotFile)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw NewtError.file(path: url.path, reason: "missing: the importance sampler's pilot, written when the run was planned")
        }
        let bytes = Array(data)
        guard SHA256.hex(bytes) == i.pilotSHA256 else {
            throw NewtError.invalidInput(key: "pilot_sha256", value: SHA256.hex(bytes), allowed: "\(i.pilotSHA256) (\(i.pilotFile) changed after planning)")
        }
        let parts: ImportancePilot.Parts
        do { parts = try ImportancePilot.Parts(bytes: bytes) } catch {
            throw NewtError.file(path: url.path, reason: "not a pilot (\(error))")
        }
        return try ImportancePilot(c, kind: try e.defectKind(), dose: e.doseMJcm2, focus: e.focusNM, parts: parts)
    }

    /// The set-up of a splitting estimator on the run's case `c`.
    public func splitting(_ e: ShardManifest.Estimator, case c: Case) throws -> SplittingRun {
        guard let s = e.splitting else { throw NewtError.numerical("estimator \(e.kind) at \(e.doseMJcm2) mJ/cm² is not splitting") }
        return try SplittingRun(c, kind: try e.defectKind(), dose: e.doseMJcm2, focus: e.focusNM, samples: s.samples, fraction: s.fraction,
                                step: s.step, maxLevels: s.maxLevels, seed: c.ensemble.seed)
    }
}

extension ShardManifest.Estimator {
    /// The defect kind estimated.
    func defectKind() throws -> DefectKind {
        guard let k = DefectKind(rawValue: kind) else { throw NewtError.invalidInput(key: "estimators.kind", value: kind, allowed: "bridge or break") }
        return k
    }

    /// The importance-sampling estimator of `pilot`'s kind at its (dose, focus), in batches of
    /// `batchTrials`, and the pilot's file as the plan writes it (estimator number `index`).
    public static func importance(_ pilot: ImportancePilot, index: Int, trials: Int, batchTrials: Int = ImportanceSampledDefects.batch,
                                  precision: Double, minimumTrials: Int) -> (estimator: Self, file: (path: String, bytes: [UInt8])) {
        importance(kind: pilot.kind, dose: pilot.dose, focus: pilot.focus, pilot: pilot.parts.bytes, index: index, trials: trials,
                   batchTrials: batchTrials, precision: precision, minimumTrials: minimumTrials)
    }

    /// The importance-sampling estimator of `kind` at (dose, focus) from a pilot's stored bytes.
    public static func importance(kind: DefectKind, dose: Double, focus: Double, pilot bytes: [UInt8], index: Int, trials: Int,
                                  batchTrials: Int = ImportanceSampledDefects.batch, precision: Double,
                                  minimumTrials: Int) -> (estimator: Self, file: (path: String, bytes: [UInt8])) {
        let path = ShardRunFolder.pilotPath(index)
        let settings = Importance(trials: trials, batchTrials: batchTrials, precision: precision, minimumTrials: minimumTrials,
                                  pilotFile: path, pilotSHA256: SHA256.hex(bytes))
        return (Self(kind: kind.rawValue, doseMJcm2: dose, focusNM: focus, importance: settings), (path, bytes))
    }
}

extension ShardManifest {
    /// Why a block's result does not fit the plan (nil when it does): an ensemble's block holds
    /// its trials, an importance-sampling batch its scores, a splitting block its replicas.
    func mismatch(_ b: BlockResult) -> String? {
        let planned = blocks[b.block]
        if planned.point != nil {
            return b.estimator == nil && (b.trials.count == planned.trials || (b.failure != nil && b.trials.isEmpty)) ? nil
                : "block \(b.block) holds \(b.trials.count) trials, the plan says \(planned.trials)"
        }
        let e = planned.estimator.map { estimators[$0] }
        switch b.estimator {
        case .importance? where e?.importance != nil: return nil
        case .splitting(let r)? where e?.splitting != nil && r.count == planned.trials: return nil
        case .pilot? where e?.pilot != nil: return nil
        default: return "block \(b.block) does not hold what estimator \(planned.estimator ?? -1) computes"
        }
    }
}
