import ArgumentParser
import Foundation
import NewtCore
import NewtCase
import NewtCalibration
import NewtMetrology

/// What a calibration fits and how hard it works: the options `newtsim calibrate` and
/// `newtsim plan calibrate` share.
struct CalibrateOptions: ParsableArguments {
    @OptionGroup var caseOptions: CaseOptions

    @Option(help: ArgumentHelp("Measurements (CSV; see the discussion below).", valueName: "file"))
    var data: String

    @Option(help: ArgumentHelp("Parameters to fit, name[=lo:hi],… (default: pag_density_nm3, acid_diffusion_nm, quencher_ratio, threshold_mean, threshold_sigma, absorbed_fraction when the data hold absorbed photons, placement_sigma_nm when they hold LER and a defect density; also blur_sigma_nm, acid_yield, min_bridge_length_nm, min_break_length_nm, and dissolution_contrast with resist.development front).", valueName: "list"))
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

    /// The validated case, measurements and calibration settings.
    func job() throws -> (Case, CalibrationData, CalibrationOptions) {
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
        return (c, measurements, options)
    }

    /// The options as arguments that parse back to them, files as absolute paths (a planned
    /// calibration's merge runs them again, from any folder); `more` are further `--set`s.
    func arguments(setting more: [String] = []) -> [String] {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        var out = caseOptions.caseFile.map { [absolute($0)] } ?? []
        for o in caseOptions.overrides + more { out += ["--set", o] }
        out += ["--data", absolute(data)]
        if let fit { out += ["--fit", fit] }
        out += ["--surrogate-trials", "\(surrogateTrials)", "--validation-trials", "\(validationTrials)", "--bootstrap", "\(bootstrap)",
                "--default-error", "\(defaultError)"]
        if let tables { out += ["--tables", tables] }
        out += ["--sem-noise-nm", "\(semNoiseNm)", "--sem-shrink-nm", "\(semShrinkNm)"]
        return out
    }
}
