import Testing
import Foundation
import NewtProcess
import NewtOptics
import NewtIO
import NewtCase
@testable import NewtStudy
import NewtEnsemble

@Suite("Focus–exposure matrices of the reference case")
struct FEMTests {
    static let focuses = stride(from: -80.0, through: 80, by: 10).map { $0 }
    static let doses = stride(from: 24.0, through: 36, by: 1).map { $0 }

    @Test("Thin mask, threshold model: Bossung curves are symmetric about best focus 0, CD = target at nominal")
    func thresholdSymmetry() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=21"])
        let r = try FEMJob.run(c, focuses: Self.focuses, doses: Self.doses, model: .threshold, tolerance: 0.1)
        let n = Self.focuses.count
        for i in 0..<n {
            for j in Self.doses.indices where r.fem.cd[i][j].isFinite {
                #expect(abs(r.fem.cd[i][j] - r.fem.cd[n - 1 - i][j]) < 1e-9)
            }
        }
        let i0 = Self.focuses.firstIndex(of: 0)!, j0 = Self.doses.firstIndex(of: 30)!
        #expect(abs(r.fem.cd[i0][j0] - 14) < 1e-6)
        #expect(abs(r.window.window(atExposureLatitude: 5)!.focus) < 1e-6)
    }

    @Test("Resist model: best focus moves into the film by about the mean absorption depth over n")
    func resistFocusShift() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=21"])
        let fine = stride(from: -60.0, through: 30, by: 5).map { $0 }
        let r = try FEMJob.run(c, focuses: fine, doses: [30], model: .resist, tolerance: 0.1)
        // Vertex of a parabola fitted to CD(f) near its extremum.
        let cds = r.fem.cd.map { $0[0] }
        let k = cds.indices.max { cds[$0] < cds[$1] }!
        let (a, b, cc) = (cds[k - 1], cds[k], cds[k + 1])
        let vertex = fine[k] + 5 * 0.5 * (a - cc) / (a - 2 * b + cc)
        // Layers at 5, 15, 25 nm weighted by absorption: mean depth ≈ 14.6 nm, over n = 0.97.
        let weights = [5.0, 15, 25].map { exp(-0.007 * $0) }
        let meanDepth = zip([5.0, 15, 25], weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
        #expect(abs(vertex + meanDepth / 0.97) < 3, "best focus \(vertex) vs \(-meanDepth / 0.97)")
        // Sized at nominal focus 0 and dose 30: CD = target there.
        let at0 = try FEMJob.run(c, focuses: [0], doses: [30], model: .resist, tolerance: 0.1)
        #expect(abs(at0.fem.cd[0][0] - 14) < 0.01)
    }

    @Test("Front model: in a film absorbing uniformly the front clears wherever the threshold does, so its lines are never wider and its assists print no more")
    func frontNeverLater() throws {
        // No absorption through the depth: each layer holds the one-voxel film's margin u, the
        // front falls straight down at worst, and its margin is ≥ ln(R(u)/R(0)), > 0 where u > 0.
        let keys = ["source.grid_points=15", "resist.absorption_per_um=0", "resist.absorbed_fraction=0.12", "resist.bias_to_size=false",
                    "resist.front_layers=3"]
        let threshold = try Case.load(path: nil, overrides: keys)
        let front = try Case.load(path: nil, overrides: keys + ["resist.development=front"])
        let focuses = [-40.0, 0, 40], doses = [27.0, 30, 33]
        let a = try FEMJob.run(threshold, focuses: focuses, doses: doses, model: .resist, tolerance: 0.1)
        let b = try FEMJob.run(front, focuses: focuses, doses: doses, model: .resist, tolerance: 0.1)
        #expect(a.lines.bias == b.lines.bias)
        var cleared = (threshold: 0, front: 0), printed = 0
        for (i, j) in focuses.indices.flatMap({ i in doses.indices.map { (i, $0) } }) {
            for (u, v) in zip(a.margin[i][j], b.margin[i][j]) {
                #expect(u <= 0 || v > 0)
                cleared.threshold += u > 0 ? 1 : 0
                cleared.front += v > 0 ? 1 : 0
            }
            // A line the front leaves (finite CD) is one the threshold leaves, and no wider.
            let (u, v) = (a.fem.cd[i][j], b.fem.cd[i][j])
            #expect(v.isNaN || v <= u + 1e-9, "focus \(focuses[i]), dose \(doses[j]): \(v) against \(u)")
            printed += v.isNaN ? 0 : 1
        }
        #expect(cleared.threshold > 0 && cleared.front > cleared.threshold && printed > 0)
    }

    @Test("One resist for every dose: dark lines thin as the dose rises")
    func monotoneInDose() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=21"])
        let r = try FEMJob.run(c, focuses: [-20, 0, 20], doses: Self.doses, model: .resist, tolerance: 0.1)
        for row in r.fem.cd { for (x, y) in zip(row, row.dropFirst()) where x.isFinite && y.isFinite { #expect(y < x) } }
        #expect(r.window.maximumExposureLatitude > 5)
    }
}

@Suite("Source optimisation job")
struct SMOJobTests {
    @Test("The freeform source written as CSV loads back as a pixelated case source with the same NILS")
    func roundTrip() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15"])
        let r = try SMOJob.run(c, pitches: [32], focuses: [0], grid: 15)
        #expect(r.freeformObjective >= r.bestParametric.objective && r.bestParametric.objective > r.caseObjective)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newt-smo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try SMOJob.write(r, to: dir)
        let loaded = try Case.load(path: nil, overrides: ["source.shape=pixelated", "source.pixels_file=\(dir.appendingPathComponent("freeform_source.csv").path)"])
        let p = LineImager(optics: loaded.optics, source: loaded.source, mask: loaded.mask).profile(focus: 0)
        let nils = 14 * abs(p.slope(at: 7)) / p.value(at: 7)
        #expect(abs(nils - r.freeformObjective) < 1e-4, "\(nils) vs \(r.freeformObjective)")  // CSV keeps 6 significant digits
    }
}

@Suite("Rule-based OPC")
struct OPCTests {
    @Test("At 96 nm pitch: a printing assist is rejected, the chosen one never prints, DOF never drops, bias converges to target CD")
    func semiIsolated() throws {
        let c = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.domain.lines=2"])
        let rule = try #require(try OPCJob.run(c, pitches: [96], widths: [8, 14]).first)
        #expect(rule.printing >= 1)  // 14 nm assists are as wide as the line: they print
        #expect(rule.dof >= rule.baselineDOF)
        if let a = rule.assist {
            #expect((rule.printMargin ?? -1) > 0)
            var k = c
            guard case var .lines(l) = c.mask.pattern else { return }
            l.pitch = 96; l.bias = rule.bias; l.assists = [a]
            k.mask.pattern = .lines(l)
            k.biasToSize = false
            let setup = try ResistSetup(k, dose: 30, focus: 0)
            #expect(abs(setup.meanFieldCD! - 14) < 0.01)
        }
        // Stochastic-aware: baseline plus the best viable assist, chosen by the defect bound then LER.
        let tiny = try Case.load(path: nil, overrides: ["source.grid_points=15", "resist.domain.lines=2", "resist.domain.length_nm=128"])
        let aware = try #require(try StochasticOPC.run(tiny, rules: [rule], trials: 2, assists: 1).first)
        #expect(aware.candidates.count == 1 + min(1, rule.viable.count))
        let chosen = aware.candidates[aware.chosen]
        #expect(aware.candidates.allSatisfy { $0.densityHigh > chosen.densityHigh || ($0.densityHigh == chosen.densityHigh && $0.ler >= chosen.ler) })
        // The corrected clip reads back from GDSII with the main lines and assists on their layers.
        let lib = try #require(GDSIILibrary.decode(OPCJob.gds([rule], cd: 14).encode())).library
        let cell = lib.structures[0]
        #expect(cell.name == "PITCH_96" && cell.boundaries.filter { $0.layer == 1 }.count == 5)
        #expect(cell.boundaries.filter { $0.layer == 2 }.count == (rule.assist == nil ? 0 : 10))
        let main = cell.boundaries.first { $0.layer == 1 }!
        #expect(abs(Double(main.points[1].x - main.points[0].x) / 10 - (14 + rule.bias)) <= 0.1)  // 0.1 nm database grid
    }
}
