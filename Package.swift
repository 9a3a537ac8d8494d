// swift-tools-version:6.0
// newtsim: an EUV lithography simulator. The target list follows the data flow of the simulator:
// Case → Optics → Resist → Metrology → Ensemble → RareEvents → Calibration → Process → Study;
// sharded runs (Shard), validation and benchmarks stand apart from the pipeline. See README.md's layout and docs/.
import PackageDescription
import Foundation

let package = Package(
    name: "newtsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "newtsim", targets: ["newtsim"]),
        .library(name: "NewtOptics", targets: ["NewtOptics"]),
        .library(name: "NewtCase", targets: ["NewtCase"]),
        .library(name: "NewtEnsemble", targets: ["NewtEnsemble"]),
        .library(name: "NewtRareEvents", targets: ["NewtRareEvents"]),
        .library(name: "NewtCalibration", targets: ["NewtCalibration"]),
        .library(name: "NewtStudy", targets: ["NewtStudy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // livesim's service: HTTP (not Vapor: build time) over SQLite in WAL mode.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries behind underscored shims (Debian -dev packages; see scripts/install-deps.sh).
        .systemLibrary(name: "_CFFTW", path: "Sources/_CFFTW",
                       providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "_CLAPACK", path: "Sources/_CLAPACK",
                       providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "_CZlib", path: "Sources/_CZlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "_CHDF5", path: "Sources/_CHDF5",
                       providers: [.apt(["libhdf5-dev"])]),

        // Units, errors, FFT and linear-algebra wrappers, progress, atomic files.
        .target(name: "NewtCore", dependencies: [
            "_CFFTW", "_CLAPACK",
            .product(name: "ComplexModule", package: "swift-numerics"),
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        // Sources, pupils and aberrations, thin masks, Abbe/SOCS imaging (scalar and vector), metrics.
        .target(name: "NewtOptics", dependencies: ["NewtCore"]),
        // Stochastic CAR resist: photons, secondary electrons, acid, PEB, development; mean-field twin.
        .target(name: "NewtResist", dependencies: ["NewtCore"]),
        // Edges, CD, LER/LWR, PSD and Palasantzas fits, bridges and breaks, confidence intervals.
        .target(name: "NewtMetrology", dependencies: ["NewtCore"]),
        // Focus–exposure matrices, process windows (EL, DOF, CPW), source optimisation, defect lookup
        // tables, yield, throughput and the business case.
        .target(name: "NewtProcess", dependencies: ["NewtCore", "NewtOptics"]),
        // File formats: CSV, float32 TIFF, PNG, SVG plots, HTML pages, HDF5.
        .target(name: "NewtIO", dependencies: ["NewtCore", "_CZlib", "_CHDF5"]),
        // The case file: schema, YAML decoding, --set overrides, validation into value types.
        .target(name: "NewtCase", dependencies: [
            "NewtCore", "NewtOptics", "NewtResist", "NewtProcess",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The case's resist Monte Carlo: an operating point's setup (image, bias, photons), ensembles of
        // trials in fixed blocks, their statistics with 95 % intervals, dose sweeps, and their files.
        .target(name: "NewtEnsemble", dependencies: ["NewtCore", "NewtOptics", "NewtResist", "NewtMetrology", "NewtCase", "NewtIO"]),
        // Rare defects: Monte Carlo counts with extreme-value tails, the failure's design point,
        // importance sampling and multilevel splitting over a trial's Gaussian latents.
        .target(name: "NewtRareEvents", dependencies: ["NewtCore", "NewtResist", "NewtMetrology", "NewtCase", "NewtIO", "NewtEnsemble"]),
        // Resist calibration: measurement tables, Monte Carlo surrogates, fits, bootstrap, verdicts.
        .target(name: "NewtCalibration", dependencies: ["NewtCore", "NewtResist", "NewtMetrology", "NewtCase", "NewtIO", "NewtEnsemble", "NewtRareEvents"]),
        // The study: each phase's job on a case (imaging, mask 3D, SMO, FEM and windows, OPC, LUT,
        // yield, business), the pipeline with typed phase results, report, slides and HDF5.
        .target(name: "NewtStudy", dependencies: [
            "NewtCore", "NewtOptics", "NewtResist", "NewtMetrology", "NewtProcess", "NewtCase", "NewtIO",
            "NewtEnsemble", "NewtRareEvents", "NewtCalibration",
        ]),
        // `newtsim validate`: the simulator's laws with heavy statistics, and the source sampling's convergence.
        .target(name: "NewtValidation", dependencies: [
            "NewtCore", "NewtOptics", "NewtResist", "NewtMetrology", "NewtCase", "NewtEnsemble", "NewtRareEvents", "NewtCalibration", "NewtStudy",
        ]),
        // `newtsim bench`: hot paths timed against floors measured in the same run.
        .target(name: "NewtBenchmarks", dependencies: [
            "NewtCore", "NewtOptics", "NewtResist", "NewtMetrology", "NewtProcess", "NewtCase", "NewtEnsemble", "NewtRareEvents", "NewtStudy", "NewtShard", "NewtIO",
        ]),
        // Sharded runs: plans cut into blocks of trials, shards run by a farm's scheduler (Slurm, LSF,
        // SGE, Kubernetes), checkpointed parts with checksums, and a merge bit-identical to a local run.
        .target(name: "NewtShard", dependencies: ["NewtCore", "NewtResist", "NewtMetrology", "NewtCase", "NewtIO", "NewtEnsemble", "NewtRareEvents"]),
        // livesim: production monitoring against the study's model (SPC charts and their design so far).
        .target(name: "NewtLive", dependencies: ["NewtCore"]),
        // livesim's service: the store (GRDB, SQLite WAL) and the HTTP routes (hummingbird 2).
        .target(name: "NewtLiveServer", dependencies: [
            "NewtLive", "NewtCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The command-line tool: parse, call, print.
        .executableTarget(name: "newtsim", dependencies: [
            "NewtCore", "NewtCase", "NewtIO", "NewtEnsemble", "NewtRareEvents", "NewtCalibration", "NewtStudy",
            "NewtValidation", "NewtBenchmarks", "NewtShard", "NewtLive", "NewtLiveServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),

        .testTarget(name: "NewtCoreTests", dependencies: ["NewtCore"]),
        .testTarget(name: "NewtOpticsTests", dependencies: ["NewtOptics", "NewtCore"]),
        .testTarget(name: "NewtResistTests", dependencies: ["NewtResist", "NewtMetrology", "NewtCore"]),
        .testTarget(name: "NewtMetrologyTests", dependencies: ["NewtMetrology", "NewtCore"]),
        .testTarget(name: "NewtProcessTests", dependencies: ["NewtProcess", "NewtOptics", "NewtCore"]),
        .testTarget(name: "NewtCaseTests", dependencies: ["NewtCase", "NewtOptics", "NewtCore"]),
        .testTarget(name: "NewtIOTests", dependencies: ["NewtIO", "NewtCore"]),
        .testTarget(name: "NewtEnsembleTests", dependencies: ["NewtEnsemble", "NewtCase", "NewtResist", "NewtMetrology", "NewtCore"]),
        .testTarget(name: "NewtRareEventsTests", dependencies: ["NewtRareEvents", "NewtEnsemble", "NewtCase", "NewtResist", "NewtMetrology", "NewtCore"]),
        .testTarget(name: "NewtCalibrationTests", dependencies: ["NewtCalibration", "NewtEnsemble", "NewtCase", "NewtCore"]),
        .testTarget(name: "NewtStudyTests", dependencies: [
            "NewtStudy", "NewtEnsemble", "NewtCalibration", "NewtRareEvents", "NewtCase", "NewtOptics", "NewtResist", "NewtMetrology",
            "NewtProcess", "NewtIO", "NewtCore",
        ]),
        .testTarget(name: "NewtShardTests", dependencies: [
            "NewtShard", "NewtStudy", "NewtCalibration", "NewtRareEvents", "NewtEnsemble", "NewtCase", "NewtMetrology", "NewtCore",
        ]),
        .testTarget(name: "NewtLiveTests", dependencies: ["NewtLive", "NewtCore"]),
        .testTarget(name: "NewtLiveServerTests", dependencies: [
            "NewtLiveServer", "NewtLive",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["newtsim", "NewtLiveServer", "NewtLive"]),
    ],
    swiftLanguageModes: [.v6]
)

/// The host's vector unit. On an x86-64 Linux build host with AVX2, FMA and BMI2, every Swift target
/// is compiled for Haswell-class CPUs: 256-bit vector loops and inline SSE4.1 rounding instead of
/// calls to `ceil`, which makes a resist trial about 15 % faster. Results are bit-identical either
/// way: Swift does not contract a·b + c into FMA, and each element of a vectorised loop is computed
/// by the same IEEE operations. `NEWTSIM_PORTABLE=1` builds for baseline x86-64 (a binary to copy to
/// older machines). Other hosts (Apple silicon, aarch64) build with their defaults.
let hostCPUSettings: [SwiftSetting] = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["NEWTSIM_PORTABLE"] == "1" { return [] }
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })?.split(separator: " ")
    else { return [] }
    let needed: Set<Substring> = ["avx2", "fma", "bmi2"]
    return needed.isSubset(of: Set(flags)) ? [.unsafeFlags(["-target-cpu", "haswell"])] : []
    #else
    return []
    #endif
}()
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + hostCPUSettings
}
