import Foundation
import NewtEnsemble

/// The Slurm jobs of a study on a farm (`newtsim study --scheduler slurm`): a chain of steps.
///
/// A step is the study itself, resumed, with ``FarmEnsembles`` as its ensemble backend: it runs
/// the phases it can, and at the first phase whose ensembles are not computed yet it plans them
/// (from what the phases before it decided: the calibrated resist, the common window's corners),
/// submits their shards as an array and the next step with `--dependency=afterok` on it, and
/// exits. The next step merges the array's parts (the same bits as the local run) and goes on.
/// The last step writes the report. A failed shard cancels the steps after it
/// (`--kill-on-invalid-dep=yes`); submitting the study again resubmits only the shards without a
/// valid part.
public struct StudyChain: Sendable {
    /// The submission settings: the newtsim on the farm, CPUs per job, throttle, extra options.
    public var submission: SchedulerScript
    /// The study's arguments (after the executable), without the step flag.
    public var arguments: [String]
    /// The working directory the steps run in (relative paths in `arguments` resolve there).
    public var directory: String
    /// The study's output folder (its `farm/logs` holds the steps' logs).
    public var studyFolder: String
    /// The hidden flag that makes a study invocation a step.
    public static let stepFlag = "--farm-step"

    /// A chain submitting with `submission` the study `arguments` run in `directory`, writing to `studyFolder`.
    public init(submission: SchedulerScript, arguments: [String], directory: String, studyFolder: String) {
        self.submission = submission
        self.arguments = arguments.filter { $0 != Self.stepFlag }
        self.directory = directory
        self.studyFolder = studyFolder
    }

    /// Shell lines that submit the next step, after job `$array` succeeds when `afterArray`; they
    /// set `step` to its job id.
    func stepLines(afterArray: Bool) -> [String] {
        let q = SchedulerScript.quoted
        let cpu = submission.cpus.map { " --cpus-per-task=\($0)" } ?? ""
        let more = submission.extra.map { " " + $0 } ?? ""
        let after = afterArray ? " --dependency=afterok:${array%%;*} --kill-on-invalid-dep=yes" : ""
        let command = ([submission.executable] + arguments + [Self.stepFlag]).map(q).joined(separator: " ")
        return ["step=$(sbatch --parsable --job-name=newtsim-study\(after)\(cpu)\(more) --chdir=\(q(directory)) \\",
                "  --output=\(q(studyFolder + "/farm/logs/step-%j.out")) <<'JOB'",
                "#!/bin/sh", "exec \(command)", "JOB", ")"]
    }

    /// The script that submits the first step.
    public func startScript() -> String {
        (["set -eu"] + stepLines(afterArray: false) + ["echo \"submitted the study's first step: job ${step%%;*}\""]).joined(separator: "\n") + "\n"
    }

    /// The script that submits the pending shards of `pending` (run `m`) and the next step after them.
    public func pendingScript(_ pending: EnsemblesPending, manifest m: ShardManifest) -> String {
        var array = submission
        array.folder = pending.folder.path
        let lines = ["set -eu"] + array.slurmArray(m, indices: pending.unfinished) + stepLines(afterArray: true)
            + ["echo \"submitted \(pending.name): array ${array%%;*} (\(pending.unfinished.count) of \(pending.shards) shards), then the next step: job ${step%%;*}\""]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs `script` with /bin/sh and returns what it printed; an error with its output if it fails.
    public static func submit(_ script: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard p.terminationStatus == 0 else {
            throw SubmissionFailed(status: p.terminationStatus, output: text)
        }
        return text
    }

    /// A submission that sbatch refused (or that found no sbatch).
    public struct SubmissionFailed: Error, CustomStringConvertible {
        public var status: Int32, output: String
        public var description: String { "the submission failed (exit \(status)): \(output)" }
    }
}
