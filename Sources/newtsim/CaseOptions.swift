import ArgumentParser
import NewtCase

/// The options every case-driven command takes: an optional case file and `--set` overrides.
struct CaseOptions: ParsableArguments {
    @Argument(help: "Case file (YAML). Default: the built-in reference case (see `newtsim example m2-euv`).")
    var caseFile: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a case key, e.g. --set optics.na=0.33 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    /// The validated case.
    func load() throws -> Case { try Case.load(path: caseFile, overrides: overrides) }
}
