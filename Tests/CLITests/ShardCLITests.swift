import Testing
import Foundation

/// Sharded runs through the command line: plan, run shards out of order, merge, and compare with
/// the unsharded command's JSON and files; the same on a real single-node Slurm.
@Suite("newtsim plan and shard")
struct ShardCLITests {
    static let small = ["--set", "resist.domain.lines=2", "--set", "resist.domain.length_nm=256", "--set", "source.grid_points=15",
                        "--set", "ensemble.block_trials=4"]

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("newt-\(name)-\(UUID().uuidString)")
    }

    /// A JSON summary less its wall times, as canonical bytes.
    static func canonical(_ text: String) throws -> Data {
        func strip(_ v: Any) -> Any {
            if var d = v as? [String: Any] {
                d["elapsed_s"] = nil
                for (k, x) in d { d[k] = strip(x) }
                return d
            }
            if let a = v as? [Any] { return a.map(strip) }
            return v
        }
        return try JSONSerialization.data(withJSONObject: strip(try JSONSerialization.jsonObject(with: Data(text.utf8))), options: [.sortedKeys])
    }

    /// Every file of `a` equals the same file of `b`, byte for byte but for lines stating wall time.
    static func sameFiles(_ a: URL, _ b: URL) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        #expect(try names == FileManager.default.contentsOfDirectory(atPath: b.path).sorted())
        func masked(_ url: URL) throws -> Data {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            guard text.contains("elapsed") else { return try Data(contentsOf: url) }
            return Data(text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("elapsed") }.joined(separator: "\n").utf8)
        }
        for name in names { #expect(try masked(a.appendingPathComponent(name)) == masked(b.appendingPathComponent(name)), "\(name)") }
        return names
    }

    @Test("resist in 3 shards run out of order: the merge prints the same JSON and writes the same files as newtsim resist")
    func resistPoint() throws {
        let run = Self.temporary("run"), local = Self.temporary("local")
        defer { for u in [run, local] { try? FileManager.default.removeItem(at: u) } }
        let plan = try CLI.run(["plan", "resist"] + Self.small + ["--trials", "20", "--shards", "3", "--out", run.path, "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        for i in [2, 0] { #expect(try CLI.run(["shard", "run", run.path, "--index", "\(i)"]).status == 0) }
        let missing = try CLI.run(["shard", "merge", run.path, "--json"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("error: ") && missing.stderr.contains("shards 1 ") && missing.stdout.isEmpty, "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("merged").path))
        let status = try CLI.run(["shard", "status", run.path, "--json"])
        let s = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(s["resubmit"] as? String == "1" && s["missing"] as? [Int] == [1] && s["complete"] as? Bool == false)
        #expect(try CLI.run(["shard", "run", run.path, "--index", "1"]).status == 0)
        let again = try CLI.run(["shard", "run", run.path, "--index", "1", "--json"])
        #expect(again.stdout.contains("\"state\":\"done\""), "\(again.stdout)")
        let merged = try CLI.run(["shard", "merge", run.path, "--json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let direct = try CLI.run(["resist"] + Self.small + ["--trials", "20", "--json", "--out", local.path])
        #expect(try Self.canonical(merged.stdout) == Self.canonical(direct.stdout))
        let files = try Self.sameFiles(run.appendingPathComponent("merged"), local)
        #expect(files.contains("trials.csv") && files.contains("psd.csv") && files.contains("developed.png"))
    }

    @Test("defects --sweep-dose --method split in 2 shards: the merge gives newtsim defects' JSON and defects_vs_dose files")
    func defectsSweep() throws {
        let run = Self.temporary("run"), local = Self.temporary("local")
        defer { for u in [run, local] { try? FileManager.default.removeItem(at: u) } }
        let args = Self.small + ["--trials", "8", "--sweep-dose", "26:34:8", "--focus", "-10", "--method", "split", "--kind", "break",
                                 "--split-samples", "40", "--split-fraction", "0.05", "--split-replicas", "2"]
        #expect(try CLI.run(["plan", "defects"] + args + ["--shards", "2", "--out", run.path]).status == 0)
        for i in [1, 0] { #expect(try CLI.run(["shard", "run", run.path, "--index", "\(i)"]).status == 0) }
        let merged = try CLI.run(["shard", "merge", run.path, "--json", "--out", run.appendingPathComponent("m").path])
        let direct = try CLI.run(["defects"] + args + ["--json", "--out", local.path])
        #expect(merged.status == 0 && direct.status == 0, "\(merged.stderr) \(direct.stderr)")
        #expect(try Self.canonical(merged.stdout) == Self.canonical(direct.stdout))
        #expect(try Self.sameFiles(run.appendingPathComponent("m"), local) == ["defects_vs_dose.csv", "defects_vs_dose.svg"])
    }

    @Test("lut and window --stochastic in shards: the merge gives the commands' JSON and files", arguments: [
        ["lut"], ["window", "--stochastic", "--tolerance", "0.12"],
    ])
    func grids(command: [String]) throws {
        let run = Self.temporary("run"), local = Self.temporary("local")
        defer { for u in [run, local] { try? FileManager.default.removeItem(at: u) } }
        let args = Self.small + ["--set", "process.focus_list_nm=[-20,20]", "--set", "process.dose_list_mj_cm2=[26,34]",
                                 "--set", "process.lut_dose_list_mj_cm2=[26,34]", "--trials", "6"]
        let plan = try CLI.run(["plan"] + command + args + ["--shards", "3", "--out", run.path, "--json"])
        #expect(plan.status == 0 && plan.stdout.contains("\"points\":4"), "\(plan.stderr)")
        for i in [2, 0, 1] { #expect(try CLI.run(["shard", "run", run.path, "--index", "\(i)"]).status == 0) }
        let merged = try CLI.run(["shard", "merge", run.path, "--json"])
        let direct = try CLI.run(command + args + ["--json", "--out", local.path])
        #expect(merged.status == 0 && direct.status == 0, "\(merged.stderr) \(direct.stderr)")
        #expect(try Self.canonical(merged.stdout) == Self.canonical(direct.stdout))
        #expect(try Self.sameFiles(run.appendingPathComponent("merged"), local).count >= 3)
    }

    /// A small calibration: two parameters, CD, LER and LWR at two doses.
    static func calibrationArguments(_ data: URL) throws -> [String] {
        try """
            dose_mj_cm2,focus_nm,cd_nm,cd_err_nm,ler_3sigma_nm,ler_3sigma_err_nm,lwr_3sigma_nm,lwr_3sigma_err_nm
            30,0,16.5,0.5,6.0,0.6,8.0,0.8
            40,0,17.5,0.5,5.0,0.5,6.8,0.7
            """.write(to: data, atomically: true, encoding: .utf8)
        return small + ["--data", data.path, "--fit", "threshold_mean,acid_diffusion_nm", "--surrogate-trials", "4", "--validation-trials", "8",
                        "--bootstrap", "20"]
    }

    @Test("plan calibrate: a chain of phases in 3 shards each, run out of order; the last merge gives newtsim calibrate's JSON and files")
    func calibrateChain() throws {
        let work = Self.temporary("calibrate"), chain = work.appendingPathComponent("chain"), local = work.appendingPathComponent("local")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let args = try Self.calibrationArguments(work.appendingPathComponent("data.csv"))
        let plan = try CLI.run(["plan", "calibrate"] + args + ["--shards", "3", "--out", chain.path, "--json"])
        #expect(plan.status == 0 && plan.stdout.contains("\"phase_name\":\"surrogate\""), "\(plan.stderr)")
        // A merge before the phase's shards ran: one error naming them, nothing planned.
        let early = try CLI.run(["shard", "merge", chain.path])
        #expect(early.status == 2 && early.stderr.contains("shards 0-2"), "\(early.stderr)")
        let script = try CLI.run(["shard", "script", chain.path, "--scheduler", "lsf", "--newtsim", "/opt/newtsim"])
        let next = try String(contentsOf: chain.appendingPathComponent("next.sh"), encoding: .utf8)
        #expect(script.stdout.contains("\(chain.path)/next.sh") && script.stdout.contains("bsub -J") && next.contains("'--scheduler' 'lsf' '--newtsim' '/opt/newtsim'"), "\(next)")
        var merged = (status: Int32(3), stdout: "", stderr: "")
        var phases = 0
        while merged.status == 3, phases < 10 {
            phases += 1
            for i in [2, 0, 1, 3] {
                let r = try CLI.run(["shard", "run", chain.path, "--index", "\(i)", "--json"])
                #expect(r.status == 0, "\(r.stderr)")
            }
            let status = try CLI.run(["shard", "status", chain.path])
            #expect(status.stdout.hasPrefix("phase \(phases) of the calibrate chain"), "\(status.stdout)")
            let r = try CLI.run(["shard", "merge", chain.path, "--json"])
            merged = (r.status, r.stdout, r.stderr)
        }
        #expect(merged.status == 0, "\(merged.stderr)")
        // The whole-box surrogate, a local one, a correction round's validation and the final validation.
        #expect(phases == 4)
        let direct = try CLI.run(["calibrate"] + args + ["--json", "--out", local.path])
        #expect(try Self.canonical(merged.stdout) == Self.canonical(direct.stdout))
        // Every file the same, but the report's wall times (the surrogates' seconds, the elapsed line).
        let files = try FileManager.default.contentsOfDirectory(atPath: local.path).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: chain.appendingPathComponent("merged").path).sorted() == files)
        #expect(files.contains("calibrated_case.yaml") && files.contains("calibration.csv"))
        for name in files where name != "report.html" && name != "calibration.json" {
            #expect(try Data(contentsOf: local.appendingPathComponent(name)) == Data(contentsOf: chain.appendingPathComponent("merged/" + name)), "\(name)")
        }
        let record = { (url: URL) in try Self.canonical(String(contentsOf: url.appendingPathComponent("calibration.json"), encoding: .utf8)) }
        #expect(try record(local) == record(chain.appendingPathComponent("merged")))
        let bad = try CLI.run(["plan", "calibrate"] + args + ["--shards", "0", "--out", work.appendingPathComponent("bad").path])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: ") && !FileManager.default.fileExists(atPath: work.appendingPathComponent("bad").path))
    }

    @Test("Bad plans and indices: one error line, exit 2, nothing written")
    func badInput() throws {
        let run = Self.temporary("run")
        defer { try? FileManager.default.removeItem(at: run) }
        for args in [["plan", "resist"] + Self.small + ["--trials", "8", "--shards", "3", "--out", run.path],
                     ["plan", "defects", "--method", "bogus", "--shards", "1", "--out", run.path],
                     ["plan", "defects", "--method", "is", "--kind", "sideways", "--shards", "1", "--out", run.path],
                     ["plan", "defects", "--method", "is", "--is-trials", "5", "--shards", "1", "--out", run.path]] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: run.path))
        }
        #expect(try CLI.run(["plan", "resist"] + Self.small + ["--trials", "8", "--shards", "2", "--out", run.path]).status == 0)
        for args in [["shard", "run", run.path, "--index", "2"], ["shard", "run", run.path, "--index-from-env"],
                     ["shard", "script", run.path, "--scheduler", "pbs"], ["shard", "merge", "/nonexistent-run"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("parts").path).isEmpty)
        let study = Self.temporary("study")
        for args in [["study", "--scheduler", "lsf", "--out", study.path], ["study", "--shards", "3", "--out", study.path],
                     ["study", "--scheduler", "slurm", "--shards", "0", "--out", study.path]] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: study.path))
        }
    }

    @Test("On a single-node Slurm: the script's array of 7 shards (2 at a time) and its merge give the local run's sha256; a calibration chain submits its own phases and gives newtsim calibrate's JSON")
    func slurm() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/slurm-local.sh").standardized
        let required = ProcessInfo.processInfo.environment["NEWTSIM_REQUIRE_SLURM"] == "1"
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld") else {
            #expect(!required, "Slurm is not installed (scripts/install-deps.sh --slurm)")
            return
        }
        let work = Self.temporary("slurm")
        let daemons = work.appendingPathComponent("daemons"), run = work.appendingPathComponent("run"), local = work.appendingPathComponent("local")
        defer { try? FileManager.default.removeItem(at: work) }
        let start = try Shell.run("timeout 120 bash '\(script.path)' start '\(daemons.path)'")
        #expect(start.status == 0, "\(start.output)")
        defer { _ = try? Shell.run("bash '\(script.path)' stop '\(daemons.path)'") }
        guard start.status == 0 else { return }
        let env = "export SLURM_CONF='\(daemons.path)/slurm.conf'; "
        #expect(try CLI.run(["plan", "resist"] + Self.small + ["--trials", "28", "--shards", "7", "--out", run.path]).status == 0)
        let text = try CLI.run(["shard", "script", run.path, "--scheduler", "slurm", "--max-parallel", "2", "--newtsim", CLI.executable.path])
        #expect(text.stdout.contains("--array=0-6%2"))
        try text.stdout.write(to: work.appendingPathComponent("submit.sh"), atomically: true, encoding: .utf8)
        let submit = try Shell.run(env + "timeout 120 bash '\(work.path)/submit.sh'")
        #expect(submit.status == 0, "\(submit.output)")
        let merge = try #require(submit.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        // A job that waits for the merge (whatever its outcome), submitted with --wait.
        let wait = try Shell.run(env + "timeout 600 sbatch --wait --quiet --dependency=afterany:\(merge) --output=/dev/null --wrap=true")
        #expect(wait.status == 0, "\(wait.output)")
        let merged = try String(contentsOf: run.appendingPathComponent("merge.json"), encoding: .utf8)
        let direct = try CLI.run(["resist"] + Self.small + ["--trials", "28", "--json", "--out", local.path])
        #expect(try Self.canonical(merged) == Self.canonical(direct.stdout))
        for name in ["trials.csv", "psd.csv", "developed.png"] {
            let a = try Shell.run("sha256sum < '\(run.path)/merged/\(name)'"), b = try Shell.run("sha256sum < '\(local.path)/\(name)'")
            #expect(a.output == b.output && a.status == 0, "\(name)")
        }
        let status = try CLI.run(["shard", "status", run.path, "--json"])
        #expect(status.stdout.contains("\"complete\":true"))

        // A calibration chain: each phase's array, and a merge job that plans and submits the next.
        let chain = work.appendingPathComponent("chain")
        let args = try Self.calibrationArguments(work.appendingPathComponent("data.csv"))
        #expect(try CLI.run(["plan", "calibrate"] + args + ["--shards", "3", "--out", chain.path]).status == 0)
        let chainScript = try CLI.run(["shard", "script", chain.path, "--scheduler", "slurm", "--max-parallel", "2", "--newtsim", CLI.executable.path])
        try chainScript.stdout.write(to: work.appendingPathComponent("chain.sh"), atomically: true, encoding: .utf8)
        let first = try Shell.run(env + "timeout 120 bash '\(work.path)/chain.sh'")
        #expect(first.status == 0, "\(first.output)")
        // Done when chain.json says finished and no job is left; stuck when no job is left before that.
        var finished = false, idle = 0
        for _ in 0..<300 {
            Thread.sleep(forTimeInterval: 2)
            finished = try String(contentsOf: chain.appendingPathComponent("chain.json"), encoding: .utf8).contains("\"finished\" : true")
            let queued = try Shell.run(env + "squeue -h | wc -l").output.trimmingCharacters(in: .whitespacesAndNewlines)
            idle = queued == "0" ? idle + 1 : 0
            if idle >= 2 { break }
        }
        #expect(finished, "\((try? String(contentsOf: chain.appendingPathComponent("logs/merge.err"), encoding: .utf8)) ?? "")")
        let chained = try String(contentsOf: chain.appendingPathComponent("merge.json"), encoding: .utf8)
        let calibrated = try CLI.run(["calibrate"] + args + ["--json"])
        #expect(try Self.canonical(chained) == Self.canonical(calibrated.stdout))
    }
}

/// Runs a bash command line, stdout and stderr together (through a file, not a pipe: daemons the
/// command starts must not hold the caller's reads open), and waits for it with waitpid.
enum Shell {
    static func run(_ command: String) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("newt-shell-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let line = "exec </dev/null >'\(log.path)' 2>&1; \(command)"
        var pid = pid_t()
        let args = ["/bin/bash", "-c", line]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let spawned = posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ)
        guard spawned == 0 else { return (-1, "posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
