import Testing
import Foundation
import NewtCore
import NewtEnsemble
@testable import NewtShard

@Suite("Schedulers: array indices and submission scripts")
struct SchedulerTests {
    @Test("The index comes from the scheduler's variable, 1-based for LSF and SGE")
    func index() throws {
        #expect(try ShardIndex.fromEnvironment(["SLURM_ARRAY_TASK_ID": "0"]) == 0)
        #expect(try ShardIndex.fromEnvironment(["LSB_JOBINDEX": "7"]) == 6)
        #expect(try ShardIndex.fromEnvironment(["SGE_TASK_ID": "1"]) == 0)
        #expect(try ShardIndex.fromEnvironment(["JOB_COMPLETION_INDEX": "4"]) == 4)
        #expect(throws: NewtError.self) { try ShardIndex.fromEnvironment(["SGE_TASK_ID": "undefined"]) }
        #expect(throws: NewtError.self) { try ShardIndex.fromEnvironment(["LSB_JOBINDEX": "0"]) }
        #expect(throws: NewtError.self) { try ShardIndex.fromEnvironment([:]) }
    }

    @Test("Index lists compress runs for resubmission")
    func indexList() {
        #expect(ShardStatus.indexList([6, 0, 2, 3, 4, 9]) == "0,2-4,6,9")
        #expect(ShardStatus.indexList([]) == "")
    }

    @Test("Each scheduler's script holds the array of N tasks and a merge that waits for it")
    func scripts() throws {
        let c = try ShardFixture.smallCase()
        let m = try ShardPlan.make(c, command: .resist, options: .init(sweep: false),
                                   points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 28)], shards: 7).manifest
        func text(_ s: SchedulerScript.Scheduler) -> String {
            SchedulerScript(scheduler: s, executable: "/opt/newtsim/bin/newtsim", folder: "/farm/runs/r1", maxParallel: 2, cpus: 4).text(m)
        }
        let slurm = text(.slurm)
        #expect(slurm.contains("--array=0-6%2") && slurm.contains("--cpus-per-task=4") && slurm.contains("--dependency=afterok:${array%%;*}"))
        #expect(slurm.contains("exec '/opt/newtsim/bin/newtsim' shard run '/farm/runs/r1' --index-from-env --threads 4")
                && slurm.contains("exec '/opt/newtsim/bin/newtsim' shard merge '/farm/runs/r1' --json"))
        let lsf = text(.lsf)
        #expect(lsf.contains("newtsim-\(m.run)[1-7]%2") && lsf.contains("-w 'done(newtsim-\(m.run))'"))
        let sge = text(.sge)
        #expect(sge.contains("-t 1-7 -tc 2") && sge.contains("-hold_jid newtsim-\(m.run)"))
        let k8s = text(.k8s)
        #expect(k8s.contains("completionMode: Indexed") && k8s.contains("completions: 7") && k8s.contains("parallelism: 2")
                && k8s.contains("kubectl wait --for=condition=complete") && k8s.contains("\"--index-from-env\""))
        #expect(SchedulerScript.quoted("it's") == "'it'\\''s'")
    }

    @Test("A chain's phase: the shards run the chain folder's current phase; the merge job is next.sh, which resubmits on exit 3")
    func chainScripts() throws {
        let c = try ShardFixture.smallCase()
        let m = try ShardPlan.make(c, command: .resist, options: .init(sweep: true),
                                   points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 12)], shards: 3).manifest
        var script = SchedulerScript(scheduler: .slurm, executable: "/opt/newtsim", folder: "/farm/cal1", maxParallel: 2)
        script.chained = true
        let slurm = script.text(m)
        #expect(slurm.contains("--array=0-2%2") && slurm.contains("exec '/opt/newtsim' shard run '/farm/cal1' --index-from-env")
                && slurm.contains("exec /bin/sh '/farm/cal1/next.sh'") && !slurm.contains("shard merge"))
        let step = script.chainStep(resubmit: ["/opt/newtsim", "shard", "script", "/farm/cal1", "--scheduler", "slurm"])
        #expect(step.contains("'/opt/newtsim' shard merge '/farm/cal1' --json > '/farm/cal1/merge.json'")
                && step.contains("if [ \"$rc\" -eq 3 ]") && step.contains("'/opt/newtsim' 'shard' 'script' '/farm/cal1' '--scheduler' 'slurm' >")
                && step.hasSuffix("exit \"$rc\"\n"))
        // Kubernetes: the merge Job runs next.sh, which cannot submit the next phase.
        script.scheduler = .k8s
        #expect(script.text(m).contains("command: [\"/bin/sh\", \"/farm/cal1/next.sh\"]") && !script.chainStep(resubmit: nil).contains("submit-next"))
    }

    @Test("The study's chain: the pending shards as an array, then the next step afterok (cancelled if a shard fails), with the same arguments")
    func studyChain() throws {
        let m = try ShardPlan.make(try ShardFixture.smallCase(), command: .resist, options: .init(sweep: true),
                                   points: [.init(point: 0, doseMJcm2: 30, focusNM: 0, trials: 16)], shards: 4).manifest
        let submission = SchedulerScript(scheduler: .slurm, executable: "/opt/new tsim", folder: "", maxParallel: 2, cpus: 3, extra: "--partition=long")
        let chain = StudyChain(submission: submission, arguments: ["study", "--out", "it's", StudyChain.stepFlag], directory: "/work", studyFolder: "/work/it's")
        let pending = EnsemblesPending(name: "lut", folder: URL(fileURLWithPath: "/work/it's/farm/lut-\(m.run)"), unfinished: [0, 2, 3], shards: 4)
        let text = chain.pendingScript(pending, manifest: m)
        #expect(text.contains("--array=0,2-3%2 --cpus-per-task=3 --partition=long"))
        #expect(text.contains("exec '/opt/new tsim' shard run '/work/it'\\''s/farm/lut-\(m.run)' --index-from-env --threads 3"))
        #expect(text.contains("--dependency=afterok:${array%%;*} --kill-on-invalid-dep=yes"))
        // The step is the study again with its own arguments, once the step flag.
        #expect(text.contains("exec '/opt/new tsim' 'study' '--out' 'it'\\''s' '--farm-step'"))
        #expect(text.components(separatedBy: "--farm-step").count == 2)
        #expect(text.contains("--chdir='/work'") && text.contains("--output='/work/it'\\''s/farm/logs/step-%j.out'"))
        let start = chain.startScript()
        #expect(!start.contains("--dependency") && start.contains("'--farm-step'"))
    }
}
