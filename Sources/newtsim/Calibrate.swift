import ArgumentParser
import Foundation
import NewtCore
import NewtStudy
import NewtCalibration
import NewtMetrology

/// `newtsim calibrate`: fit resist parameters to measurements, with uncertainties.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit resist parameters (PAG density, acid diffusion, quencher, threshold mean and σ, …) to measured CD/LER/LWR against dose through a Monte Carlo surrogate; write the calibration report, tables and the calibrated case YAML.",
        discussion: "Data columns (CSV): dose_mj_cm2, focus_nm, table, cd_nm, ler_3sigma_nm, lwr_3sigma_nm, absorbed_photons_per_nm2, bridge_density_cm2, break_density_cm2, each value optionally with a 1σ column (cd_err_nm, ler_3sigma_err_nm, lwr_3sigma_err_nm, absorbed_photons_err_per_nm2, bridge_density_err_cm2, break_density_err_cm2). Rows labelled <name>_low/<name>_high form a range. Defect densities are fitted in ln density: the surrogate's Rice rate of the defect margins, corrected by importance sampling at the optimum. Rows of tables not selected by --tables are only compared.")

    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Measurements (CSV; see the discussion below).", valueName: "file"))
    var data: String

    @Option(help: ArgumentHelp("Output folder: report.html, calibration.csv, calibration_residuals.csv, calibration_correlations.csv, SVG curves, calibrated_case.yaml.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Parameters to fit, name[=lo:hi],… (default: pag_density_nm3, acid_diffusion_nm, quencher_ratio, threshold_mean, threshold_sigma, and absorbed_fraction when the data hold absorbed photons).", valueName: "list"))
    var fit: String?

    @Option(help: "Trials per surrogate design ensemble.")
    var surrogateTrials = 8

    @Option(help: "Trials per operating point of each full Monte Carlo validation at the optimum.")
    var validationTrials = 96

    @Option(help: "Parametric bootstrap replicas.")
    var bootstrap = 200

    @Option(help: "Relative 1σ assumed where the data give no uncertainty.")
    var defaultError = 0.1

    @Option(help: ArgumentHelp("Data tables to fit (the `table` column; a range's rows by their prefix), comma-separated; the others are only compared. Default: measured,published_range where present, else all.", valueName: "list"))
    var tables: String?

    @Option(help: ArgumentHelp("White edge-detection noise of the CD-SEM that measured the data, 1σ per edge point in nm: the model's LER and LWR are compared as the SEM would report them (biased).", valueName: "nm"))
    var semNoiseNm = 0.0

    @Option(help: ArgumentHelp("CD lost to the CD-SEM's beam (resist shrinkage) in nm: the model's CD is compared less this.", valueName: "nm"))
    var semShrinkNm = 0.0

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let c = try caseOptions.load()
        guard (0.001...1).contains(defaultError) else { throw NewtError.invalidInput(key: "--default-error", value: "\(defaultError)", allowed: "0.001 ≤ value ≤ 1") }
        guard (2...100_000).contains(surrogateTrials) else { throw NewtError.invalidInput(key: "--surrogate-trials", value: "\(surrogateTrials)", allowed: "2 ≤ value ≤ 100000") }
        guard (2...100_000).contains(validationTrials) else { throw NewtError.invalidInput(key: "--validation-trials", value: "\(validationTrials)", allowed: "2 ≤ value ≤ 100000") }
        guard (0...100_000).contains(bootstrap) else { throw NewtError.invalidInput(key: "--bootstrap", value: "\(bootstrap)", allowed: "0 ≤ value ≤ 100000") }
        var options = CalibrationOptions()
        options.parameters = try fit.map(CalibrationParameter.parse)
        var measurements = try CalibrationData(contentsOf: URL(fileURLWithPath: data), defaultRelativeError: defaultError)
            .selecting(tables: tables.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        measurements.metrology = try SEMMetrology.validated(noiseSigma: semNoiseNm, shrink: semShrinkNm)
        options.surrogateTrials = surrogateTrials
        options.validationTrials = validationTrials
        options.bootstrap = bootstrap
        let bar = CalibrationProgress(enabled: !json && isatty(STDERR_FILENO) != 0)
        let r = try CalibrationJob.run(c, data: measurements, options: options, progress: { bar.update($0, $1, $2) })
        if let out { try CalibrationDeliverables.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: CalibrationDeliverables.json(r),
                        text: CalibrationDeliverables.text(r) + (out.map { "\nwrote \($0)/report.html, calibration.csv, calibration_residuals.csv, calibrated_case.yaml" } ?? ""))
    }
}
