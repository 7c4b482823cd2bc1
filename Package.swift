// swift-tools-version: 6.0
// hybridsim — a discrete-event simulator and capacity planner for hybrid ML-inference deployments.
// SPDX-License-Identifier: GPL-3.0-or-later
import PackageDescription

/// Release builds of the hot targets skip Swift's dynamic exclusivity checks: they cost about
/// half of the event loop's time (measured with perf, docs/performance.md). Debug builds, which
/// run the tests, keep them.
let hotLoopSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "hybridsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hybridsim", targets: ["hybridsim"]),
        .executable(name: "hybridsim-bench", targets: ["hybridsim-bench"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "NumericCore", targets: ["NumericCore"]),
        .library(name: "InferenceSim", targets: ["InferenceSim"]),
        .library(name: "ScenarioModel", targets: ["ScenarioModel"]),
        .library(name: "Results", targets: ["Results"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Calibration", targets: ["Calibration"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The sweep results store (docs/sweeps.md).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // GSL, the numeric foundation (GPL: the project is GPL-3.0-or-later).
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .target(name: "NumericCore", dependencies: ["CGSL"], exclude: ["README.md"], swiftSettings: hotLoopSettings),
        // The event engine: knows nothing of inference, files or randomness sources.
        .target(name: "SimCore", exclude: ["README.md"], swiftSettings: hotLoopSettings),
        // The typed scenario: what a scenario file means, before anything runs.
        .target(name: "ScenarioModel", dependencies: ["NumericCore"], exclude: ["README.md"]),
        // What a run produces: replication results, the run summary, SLO report, timeline, trace rows.
        .target(name: "Results", dependencies: ["NumericCore", "ScenarioModel", "SimCore"], exclude: ["README.md"],
                swiftSettings: hotLoopSettings),
        .target(name: "InferenceSim", dependencies: ["SimCore", "NumericCore", "ScenarioModel", "Results"], exclude: ["README.md"],
                swiftSettings: hotLoopSettings),
        .target(name: "Scenarios", dependencies: ["ScenarioModel", "NumericCore", "SimCore", "Yams"], exclude: ["README.md"]),
        .target(name: "Planning", dependencies: ["Scenarios", "ScenarioModel", "InferenceSim", "Results", "NumericCore"],
                exclude: ["README.md"]),
        // The files of sweeps and plans: the SQLite sweep store, sweep.csv, plan.json, pareto.csv.
        .target(name: "PlanningFiles", dependencies: ["Planning", "Reporting", "Scenarios", "Results", "NumericCore",
                                                     .product(name: "GRDB", package: "GRDB.swift")],
                exclude: ["README.md"]),
        .target(name: "Reporting", dependencies: ["ScenarioModel", "Results", "NumericCore"], exclude: ["README.md"]),
        // Measurements to scenario inputs (`hybridsim calibrate`, docs/calibration.md).
        .target(name: "Calibration", dependencies: ["NumericCore", "Scenarios", "Results", "Reporting"], exclude: ["README.md"]),
        .executableTarget(
            name: "hybridsim",
            dependencies: [
                "Scenarios", "ScenarioModel", "InferenceSim", "Results", "Planning", "PlanningFiles", "Reporting", "Calibration",
                "NumericCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "hybridsim-bench",
            dependencies: ["Scenarios", "ScenarioModel", "InferenceSim", "Results", "Planning", "Reporting", "NumericCore", "SimCore"],
            exclude: ["README.md"],
            swiftSettings: hotLoopSettings),  // its engine-floor model is a hot loop too
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore"]),
        // A logging delegate and event drivers for BatchStation tests, shared by the two below.
        .target(name: "SimCoreTestSupport", dependencies: ["SimCore"], path: "Tests/SimCoreTestSupport",
                exclude: ["README.md"]),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "SimCoreTestSupport"]),
        // Typed scenario builders and a sequential replication runner shared by the two below.
        .target(name: "InferenceSimTestSupport", dependencies: ["InferenceSim", "ScenarioModel", "Results", "NumericCore"],
                path: "Tests/InferenceSimTestSupport", exclude: ["README.md"]),
        .testTarget(name: "InferenceSimTests",
                    dependencies: ["InferenceSim", "InferenceSimTestSupport", "ScenarioModel", "Results", "NumericCore", "SimCore",
                                   "SimCoreTestSupport"]),
        // Whole-stack tests: the queueing validation against closed forms, shipped scenario files.
        .testTarget(name: "SystemTests",
                    dependencies: ["InferenceSim", "InferenceSimTestSupport", "ScenarioModel", "Results", "NumericCore",
                                   "Scenarios", "Planning", "Reporting"],
                    exclude: ["README.md", "Golden"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "ScenarioModel", "NumericCore"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["Reporting", "Results"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Results"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "NumericCore", "Scenarios", "Results", "Reporting",
                                                         "InferenceSim", "ScenarioModel"]),
        .testTarget(name: "PlanningFilesTests", dependencies: ["PlanningFiles", "Planning", "Reporting", "Scenarios"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Scenarios", "ScenarioModel", "Results"]),
    ]
)
