import Testing
import Foundation
import NewtCore
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
}
