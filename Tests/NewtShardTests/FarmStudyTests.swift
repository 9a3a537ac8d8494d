import Testing
import Foundation
import NewtCore
import NewtCase
import NewtEnsemble
@testable import NewtStudy
@testable import NewtShard

/// The study with its ensembles on a farm (``FarmEnsembles``), the scheduler played here: each
/// pending phase's shards run in a random order, then the study is resumed, as the Slurm chain of
/// `newtsim study --scheduler slurm` does. The result equals the local study's, file for file.
@Suite("The study on a farm")
struct FarmStudyTests {
    /// A tiny case whose ensembles of 2 trials are cut into blocks of 1.
    static func tinyCase() throws -> Case {
        try Case.load(path: nil, overrides: ["resist.domain.lines=2", "resist.domain.length_nm=128", "source.grid_points=11",
                                             "process.focus_list_nm=[0]", "process.lut_dose_list_mj_cm2=[28, 32]", "ensemble.block_trials=1"])
    }

    /// The lightest settings (the study's own tests use them too), stopped after the
    /// recommendation, the last phase with farmed work; the dose search tests one dose.
    static func options() -> StudyJob.Options {
        var o = StudyJob.Options.plumbing
        o.stopAfter = .recommendation
        o.decision?.maxTests = 1
        return o
    }

    /// Every deliverable under `dir` but the farm's runs, the pages and the manifest (which state
    /// wall times and the date): relative path → bytes; JSON without its wall times.
    static func deliverables(_ dir: URL) throws -> [String: Data] {
        func strip(_ v: Any) -> Any {
            if var d = v as? [String: Any] {
                for k in ["seconds", "elapsed_s"] { d[k] = nil }
                for (k, x) in d { d[k] = strip(x) }
                return d
            }
            if let a = v as? [Any] { return a.map(strip) }
            // Texts without their lines of wall time ("elapsed 0.3 s").
            if let t = v as? String { return t.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("elapsed ") }.joined(separator: "\n") }
            return v
        }
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir.path)!
        while let p = e.nextObject() as? String {
            guard !p.hasPrefix(StudyJob.farmFolder), !p.hasSuffix(".html"), p != "manifest.json" else { continue }
            let url = dir.appendingPathComponent(p)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let data = try Data(contentsOf: url)
            out[p] = p.hasSuffix(".json") ? try JSONSerialization.data(withJSONObject: strip(try JSONSerialization.jsonObject(with: data)), options: [.sortedKeys]) : data
        }
        return out
    }

    /// The text around the first byte where `a` and `b` differ.
    static func firstDifference(_ a: Data, _ b: Data) -> String {
        let i = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
        func around(_ d: Data) -> String { String(decoding: d[max(0, i - 60)..<min(d.count, i + 40)], as: UTF8.self) }
        return "at byte \(i): \(around(a)) | \(around(b))"
    }

    @Test("Six phases wait for their shards in turn (the anchors' importance sampling and the dose search's steps among them); run in any order and resumed, the study equals the local one file for file (to the recommendation)")
    func farmStudy() throws {
        let c = try Self.tinyCase()
        let local = ShardFixture.folder("study-local"), farm = ShardFixture.folder("study-farm")
        defer { for u in [local, farm] { try? FileManager.default.removeItem(at: u) } }
        #expect(throws: StudyJob.Interrupted.self) { try StudyJob.run(c, options: Self.options(), to: local) }

        var options = Self.options()
        options.resume = true
        options.ensembles = FarmEnsembles(root: farm.appendingPathComponent(StudyJob.farmFolder), shards: 3)
        var rng = SystemRandomNumberGenerator()
        var waited: [StudyPhaseID] = []
        /// One step: the outcome, or nil once the study got past the recommendation.
        func step() throws -> StudyJob.Outcome? {
            do { return try StudyJob.run(c, options: options, to: farm) } catch is StudyJob.Interrupted { return nil }
        }
        while let (phase, pending) = try step()?.pending {
            #expect(!FileManager.default.fileExists(atPath: farm.appendingPathComponent("report.html").path))
            waited.append(phase)
            let order = pending.unfinished.shuffled(using: &rng)
            if waited.count == 1 {
                // A step that finds one shard still missing waits for that one alone.
                for i in order.dropFirst() { _ = try ShardRunner.run(pending.folder, index: i, threads: 1) }
                let again = try step()
                #expect(again?.pending?.phase == phase && again?.pending?.run.unfinished == [order[0]])
                _ = try ShardRunner.run(pending.folder, index: order[0], threads: 1)
            } else {
                for i in order { _ = try ShardRunner.run(pending.folder, index: i, threads: 1) }
            }
        }
        // The ensembles and the cliffs wait three times each: their ensembles, their density anchors'
        // pilots, then the anchors' importance sampling.
        #expect(Array(waited.prefix(9)) == [.ensembles, .ensembles, .ensembles, .cliffs, .cliffs, .cliffs, .lookupTable, .stochasticWindow, .corners])
        // The dose search waits once per run it asks for, in the order it asks: the screen, each
        // tested dose's pilots and then its importance sampling, the corners about the answer.
        let runs = try FileManager.default.contentsOfDirectory(atPath: farm.appendingPathComponent(StudyJob.farmFolder).path)
            .filter { $0.hasPrefix("decision_") }
        let tested = try String(contentsOf: farm.appendingPathComponent("recommendation/dose_search.csv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst().map { Int(Double($0.split(separator: ",")[0])!) }
        #expect(!tested.isEmpty)
        var expected = ["decision_screen"]
        for e in tested { expected += ["decision_\(e)mj_pilots", "decision_\(e)mj"] }
        #expect(Set(runs.map { String($0.prefix { $0 != "-" }) }).isSuperset(of: expected))
        #expect(runs.contains { $0.hasPrefix("decision_corners_") })
        #expect(waited.dropFirst(9).allSatisfy { $0 == .recommendation } && waited.count - 9 == runs.count)
        #expect(FileManager.default.fileExists(atPath: farm.appendingPathComponent("phases/recommendation.json").path))
        let a = try Self.deliverables(local), b = try Self.deliverables(farm)
        #expect(a.count > 30 && Set(a.keys) == Set(b.keys), "\(Set(a.keys).symmetricDifference(b.keys))")
        for (k, v) in a.sorted(by: { $0.key < $1.key }) { #expect(b[k] == v, "\(k) differs: \(Self.firstDifference(v, b[k] ?? Data()))") }
    }

    @Test("A case changed in memory without its values cannot be planned: its YAML would not reproduce it")
    func unwrittenChange() throws {
        var c = try Self.tinyCase()
        #expect(try c.unwrittenChanges().isEmpty)
        #expect(try c.setting(["resist.sizing=fixed_resist"]).unwrittenChanges().isEmpty)
        c.resist.thresholdMean += 0.01
        #expect(try c.unwrittenChanges() == ["resist"])
        let point = ShardManifest.Point(point: 0, doseMJcm2: 30, focusNM: 0, trials: 2)
        #expect(throws: NewtError.self) { try ShardPlan.make(c, command: .resist, options: .init(sweep: false), points: [point], shards: 1) }
    }
}
