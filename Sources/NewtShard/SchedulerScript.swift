import Foundation

/// The submission of a planned run on a farm's scheduler (`newtsim shard script`): an array job of
/// one task per shard, and a merge job that starts when every task has succeeded.
///
/// - Slurm: `sbatch --array=0-(N−1)[%M]`, then the merge with `--dependency=afterok:ARRAY`.
/// - LSF: `bsub -J 'NAME[1-N][%M]'`, then the merge with `-w 'done(NAME)'`.
/// - SGE/UGE: `qsub -t 1-N [-tc M]`, then the merge with `-hold_jid NAME` (SGE holds until the
///   array ends, not until it succeeds: a failed task leaves the merge to fail with the missing shards).
/// - Kubernetes: an Indexed Job (completions N, parallelism M) on a volume holding the run, a wait
///   for its completion, then the merge as a second Job.
public struct SchedulerScript: Sendable {
    /// A scheduler.
    public enum Scheduler: String, Sendable, CaseIterable {
        case slurm, lsf, sge, k8s
    }

    /// The scheduler.
    public var scheduler: Scheduler
    /// The newtsim executable the jobs run (an absolute path on the farm's shared file system).
    public var executable: String
    /// The run folder, as the jobs see it.
    public var folder: String
    /// At most this many shards at once (nil: the scheduler's choice).
    public var maxParallel: Int?
    /// CPUs per shard (nil: the scheduler's default); the shard uses them as threads.
    public var cpus: Int?
    /// Further options for every submission (a partition, a queue, an account), as written.
    public var extra: String?
    /// Kubernetes: the container image holding newtsim, and the claim of the volume holding the run.
    public var image: String = "newtsim:latest", claim: String = "newtsim-runs"
    /// Whether `folder` is a chain (``ShardChain``): the shards run the current phase's, and the
    /// merge job is `folder/next.sh` (``chainStep(resubmit:)``), which submits the next phase.
    public var chained = false

    /// A script for `scheduler` that submits run `m` in `folder` with `executable`.
    public init(scheduler: Scheduler, executable: String, folder: String, maxParallel: Int? = nil, cpus: Int? = nil, extra: String? = nil) {
        self.scheduler = scheduler
        self.executable = executable
        self.folder = folder
        self.maxParallel = maxParallel
        self.cpus = cpus
        self.extra = extra
    }

    /// `s` quoted for a POSIX shell.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The script's text for `m`.
    public func text(_ m: ShardManifest) -> String {
        let n = m.shards.count, name = "newtsim-\(m.run)"
        let exe = Self.quoted(executable), run = Self.quoted(folder)
        let threads = cpus.map { " --threads \($0)" } ?? ""
        let shard = "\(exe) shard run \(run) --index-from-env\(threads)"
        let merge = chained ? "/bin/sh \(Self.quoted(folder + "/next.sh"))" : "\(exe) shard merge \(run) --json"
        let log = { (file: String) in Self.quoted(folder + "/logs/" + file) }
        let more = extra.map { " " + $0 } ?? ""
        let mergeOutput = chained ? log("merge-\(m.run).out") : Self.quoted(folder + "/merge.json")
        var lines = ["#!/usr/bin/env bash",
                     "# newtsim run \(m.run): \(m.command.rawValue), \(m.points.count) point(s), \(m.blocks.count) blocks of \(m.blockTrials) trials in \(n) shards, then the merge.",
                     "# The merged output goes to \(folder)/merged and its summary to \(folder)/merge.json;",
                     "# `newtsim shard status \(folder)` lists shards to resubmit.",
                     "set -euo pipefail"]
        if chained {
            lines.insert(contentsOf: ["# A phase of a chain: the merge job (next.sh) merges it and, when the job plans another phase,",
                                      "# submits that one the same way; the last merge writes the output."], at: 2)
        }
        switch scheduler {
        case .slurm:
            lines += slurmArray(m, indices: Array(0..<n))
            lines += ["merge=$(sbatch --parsable --job-name=\(name)-merge --dependency=afterok:${array%%;*}\(more) \\",
                      "  --output=\(mergeOutput) --error=\(log("merge.err")) <<'JOB'",
                      "#!/bin/sh", "exec \(merge)", "JOB", ")",
                      "echo \"submitted array ${array%%;*} (\(n) shards) and merge ${merge%%;*}\""]
        case .lsf:
            let throttle = maxParallel.map { "%\($0)" } ?? ""
            let cpu = cpus.map { " -n \($0) -R 'span[hosts=1]'" } ?? ""
            lines += ["bsub -J \(Self.quoted("\(name)[1-\(n)]\(throttle)"))\(cpu)\(more) -o \(log("shard-%I.out")) \(Self.quoted(shard))",
                      "bsub -J \(name)-merge -w \(Self.quoted("done(\(name))"))\(more) -o \(mergeOutput) -e \(log("merge.err")) \(Self.quoted(merge))"]
        case .sge:
            let throttle = maxParallel.map { " -tc \($0)" } ?? ""
            let cpu = cpus.map { " -pe smp \($0)" } ?? ""
            lines += ["qsub -terse -N \(name) -t 1-\(n)\(throttle)\(cpu)\(more) -b y -o \(log("")) -e \(log("")) \(shard)",
                      "qsub -terse -N \(name)-merge -hold_jid \(name)\(more) -b y -o \(mergeOutput) -e \(log("merge.err")) \(merge)"]
        case .k8s:
            lines += k8s(m, name: name)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A chain's merge job, `folder/next.sh`: merges the current phase into `folder/merge.json`;
    /// when that plans the next phase (exit 3), runs `resubmit` (the `shard script` command that
    /// prints the next phase's submission) and submits what it prints. Without `resubmit`
    /// (Kubernetes: no scheduler inside the pod) it stops there.
    public func chainStep(resubmit: [String]?) -> String {
        let exe = Self.quoted(executable), run = Self.quoted(folder)
        var lines = ["#!/bin/sh",
                     "# The merge job of the newtsim chain \(folder): merges the current phase; when the job plans the",
                     "# next phase (exit 3), submits it. Written by `newtsim shard script`.",
                     "\(exe) shard merge \(run) --json > \(Self.quoted(folder + "/merge.json"))",
                     "rc=$?"]
        if let resubmit {
            let next = Self.quoted(folder + "/logs/submit-next.sh")
            lines += ["if [ \"$rc\" -eq 3 ]; then",
                      "  \(resubmit.map(Self.quoted).joined(separator: " ")) > \(next) && exec /bin/bash \(next)",
                      "fi"]
        }
        lines.append("exit \"$rc\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Slurm lines that submit shards `indices` of `m` as an array and set `array` to its job
    /// id (with `;cluster` on a federation). The job script goes to sbatch on stdin, in a quoted
    /// heredoc: no second level of quoting.
    public func slurmArray(_ m: ShardManifest, indices: [Int]) -> [String] {
        let throttle = maxParallel.map { "%\($0)" } ?? ""
        let cpu = cpus.map { " --cpus-per-task=\($0)" } ?? ""
        let threads = cpus.map { " --threads \($0)" } ?? ""
        let more = extra.map { " " + $0 } ?? ""
        let shard = "\(Self.quoted(executable)) shard run \(Self.quoted(folder)) --index-from-env\(threads)"
        let output = Self.quoted(folder + "/logs/shard-%a.out")
        return ["array=$(sbatch --parsable --job-name=newtsim-\(m.run) --array=\(ShardStatus.indexList(indices))\(throttle)\(cpu)\(more) --output=\(output) <<'JOB'",
                "#!/bin/sh", "exec \(shard)", "JOB", ")"]
    }

    /// The Kubernetes lines: an Indexed Job, a wait, and the merge Job.
    private func k8s(_ m: ShardManifest, name: String) -> [String] {
        let n = m.shards.count
        let threads = cpus.map { ", \"--threads\", \"\($0)\"" } ?? ""
        let resources = cpus.map { ["          resources:", "            requests: {cpu: \"\($0)\"}"] } ?? []
        func job(_ jobName: String, indexed: Bool, command: String) -> [String] {
            ["kubectl apply -f - <<'YAML'",
             "apiVersion: batch/v1",
             "kind: Job",
             "metadata:",
             "  name: \(jobName)",
             "spec:"]
                + (indexed ? ["  completions: \(n)", "  parallelism: \(maxParallel ?? n)", "  completionMode: Indexed", "  backoffLimit: \(2 * n)"] : ["  backoffLimit: 2"])
                + ["  template:",
                   "    spec:",
                   "      restartPolicy: Never",
                   "      containers:",
                   "        - name: newtsim",
                   "          image: \(image)",
                   "          command: [\(command)]"]
                + resources
                + ["          volumeMounts: [{name: runs, mountPath: \(Self.quoted((folder as NSString).deletingLastPathComponent))}]",
                   "      volumes: [{name: runs, persistentVolumeClaim: {claimName: \(claim)}}]",
                   "YAML"]
        }
        let exe = "\"\(executable)\"", run = "\"\(folder)\""
        return job(name, indexed: true, command: "\(exe), \"shard\", \"run\", \(run), \"--index-from-env\"\(threads)")
            + ["kubectl wait --for=condition=complete --timeout=-1s job/\(name)"]
            + job("\(name)-merge", indexed: false,
                  command: chained ? "\"/bin/sh\", \"\(folder)/next.sh\"" : "\(exe), \"shard\", \"merge\", \(run), \"--json\"")
    }
}
