import ArgumentParser
import NewtCore
import NewtCase

/// The operating point and ensemble size a stochastic command runs at.
struct OperatingPointOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Dose in mJ/cm² (default: process.dose_mj_cm2).", valueName: "mJ/cm²"))
    var dose: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Focus in nm (default: process.focus_nm; negative values allowed).", valueName: "nm"))
    var focus: Double?

    @Option(help: "Trials (default: ensemble.trials).")
    var trials: Int?

    /// The validated (dose, focus, trials) for a case; bad values are one-line errors with exit code 2.
    func resolve(_ c: Case) throws -> (dose: Double, focus: Double, trials: Int) {
        let d = dose ?? c.process.dose, f = focus ?? c.process.focus, n = trials ?? c.ensemble.trials
        guard d > 0 && d <= 1000 else { throw NewtError.invalidInput(key: "--dose", value: "\(d)", allowed: "0 < value ≤ 1000 mJ/cm²") }
        guard abs(f) <= 10_000 else { throw NewtError.invalidInput(key: "--focus", value: "\(f)", allowed: "-10000 ≤ value ≤ 10000 nm") }
        guard (1...10_000_000).contains(n) else { throw NewtError.invalidInput(key: "--trials", value: "\(n)", allowed: "1 ≤ value ≤ 10000000") }
        return (d, f, n)
    }
}
