import ArgumentParser
import NewtCore
import NewtCase

/// `newtsim example NAME`: prints a built-in case with every key documented.
struct Example: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a built-in case as documented YAML.")

    @Argument(help: "Case name: \(ExampleCase.names.joined(separator: ", ")).")
    var name: String = "m2-euv"

    func run() throws {
        guard let text = ExampleCase.yaml(named: name) else {
            throw NewtError.invalidInput(key: "NAME", value: name, allowed: ExampleCase.names.joined(separator: ", "))
        }
        print(text, terminator: "")
    }
}
