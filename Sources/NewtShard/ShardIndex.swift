import Foundation
import NewtCore

/// The shard a scheduler's array task runs, read from its environment.
///
/// | scheduler | variable | base |
/// |---|---|---|
/// | Slurm | `SLURM_ARRAY_TASK_ID` | 0 (the scripts submit `--array=0-(N−1)`) |
/// | LSF | `LSB_JOBINDEX` | 1 |
/// | SGE/UGE | `SGE_TASK_ID` | 1 |
/// | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | 0 |
public enum ShardIndex {
    /// The variables read, in order, with the index of their first task.
    public static let variables: [(name: String, base: Int)] = [
        ("SLURM_ARRAY_TASK_ID", 0), ("LSB_JOBINDEX", 1), ("SGE_TASK_ID", 1), ("JOB_COMPLETION_INDEX", 0),
    ]

    /// The 0-based shard index from `environment`; one clear error when no variable is set or one
    /// holds no index (LSF sets 0 and SGE `undefined` outside an array).
    public static func fromEnvironment(_ environment: [String: String]) throws -> Int {
        for (name, base) in variables {
            guard let text = environment[name] else { continue }
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)), v >= base else {
                throw NewtError.invalidInput(key: name, value: text, allowed: "an array task index ≥ \(base) (is this an array job?)")
            }
            return v - base
        }
        throw NewtError.invalidInput(key: "--index-from-env", value: "none of \(variables.map(\.name).joined(separator: ", ")) set",
                                     allowed: "run inside a scheduler's array job, or give --index I")
    }
}
