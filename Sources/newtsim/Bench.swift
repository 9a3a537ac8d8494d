import ArgumentParser
import NewtStudy

/// `newtsim bench image`: times hot paths against floors measured in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks (not tests): times and ratios to floors measured in the same run.")

    @Argument(help: "What to benchmark: image, resist, fem or m3d.")
    var target: String = "image"

    @Option(help: "2-D grid size (pixels per side, 1 nm pixels).")
    var size: Int = 1024

    @Flag(help: "Skip the slow 2-D Abbe image.")
    var noAbbe = false

    func validate() throws {
        guard ["image", "resist", "fem", "m3d"].contains(target) else { throw ValidationError("target = \(target) is not allowed; allowed: image, resist, fem, m3d") }
        guard (64...4096).contains(size) else { throw ValidationError("--size = \(size) is not allowed; allowed: 64 ≤ value ≤ 4096") }
    }

    @Option(help: "Trials of the full ensemble in `bench resist` (0 skips it).")
    var ensemble: Int = 2000

    func run() throws {
        if target == "m3d" {
            print("newtsim bench m3d (floor measured in the same run)")
            try M3DBenchmark.run(log: { print($0) })
            return
        }
        if target == "fem" {
            print("newtsim bench fem (floor measured in the same run)")
            try FEMBenchmark.run(log: { print($0) })
            return
        }
        if target == "resist" {
            print("newtsim bench resist (floors measured in the same run)")
            try ResistBenchmark.run(ensemble: ensemble, log: { print($0) })
            return
        }
        print("newtsim bench image (times are best of repeated runs; floors measured in the same run)")
        _ = try ImagingBenchmark.run(size: size, abbe: !noAbbe, log: { print($0) })
    }
}
