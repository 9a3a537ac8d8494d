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

    @OptionGroup var calibration: CalibrateOptions

    @Option(help: ArgumentHelp("Output folder: report.html, calibration.csv, calibration_residuals.csv, calibration_correlations.csv, SVG curves, calibrated_case.yaml.", valueName: "dir"))
    var out: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let (c, data, options) = try calibration.job()
        let bar = CalibrationProgress(enabled: !json && isatty(STDERR_FILENO) != 0)
        let r = try CalibrationJob.run(c, data: data, options: options, progress: { bar.update($0, $1, $2) })
        try Self.emit(r, out: out, json: json)
    }

    /// Writes the deliverables into `out` (when given) and prints the summary.
    static func emit(_ r: CalibrationResult, out: String?, json: Bool) throws {
        if let out { try CalibrationDeliverables.write(r, to: URL(fileURLWithPath: out)) }
        try Output.emit(json: json, object: CalibrationDeliverables.json(r),
                        text: CalibrationDeliverables.text(r) + (out.map { "\nwrote \($0)/report.html, calibration.csv, calibration_residuals.csv, calibrated_case.yaml" } ?? ""))
    }
}
