import ArgumentParser
import Foundation
import NewtCore

/// The newtsim command-line tool: parse, call the library, print.
@main
struct Newtsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newtsim",
        abstract: "EUV lithography simulator: aerial imaging, stochastic resist, process windows.",
        subcommands: [
            Example.self, Study.self,
            Image.self, M3D.self, Resist.self, Defects.self, Calibrate.self,
            FEM.self, Window.self, SMO.self, OPC.self, Yield.self, Business.self, LUT.self,
            Validate.self, Bench.self, Plan.self, Shard.self, Livesim.self,
        ])

    /// Runs a command; bad input prints one line and exits 2 with nothing written.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as NewtError {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            Foundation.exit(error.exitCode)
        } catch let code as ExitCode where code != .success && code != .validationFailure {
            // A command's own status, its message printed already (a chain's merge: 3, another phase planned).
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data(("error: " + message(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
