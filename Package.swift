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
        .target(name: "InferenceSim", dependencies: ["SimCore", "NumericCore"], exclude: ["README.md"],
                swiftSettings: hotLoopSettings),
        .target(name: "Scenarios", dependencies: ["InferenceSim", "NumericCore", "Yams"], exclude: ["README.md"]),
        .target(name: "Planning", dependencies: ["Scenarios", "InferenceSim", "NumericCore", "Reporting",
                                                .product(name: "GRDB", package: "GRDB.swift")],
                exclude: ["README.md"]),
        .target(name: "Reporting", dependencies: ["InferenceSim", "NumericCore"], exclude: ["README.md"]),
        // Measurements to scenario inputs (`hybridsim calibrate`, docs/calibration.md).
        .target(name: "Calibration", dependencies: ["NumericCore", "Scenarios", "Reporting"], exclude: ["README.md"]),
        .executableTarget(
            name: "hybridsim",
            dependencies: [
                "Scenarios", "InferenceSim", "Planning", "Reporting", "Calibration", "NumericCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "hybridsim-bench",
            dependencies: ["Scenarios", "InferenceSim", "Planning", "Reporting", "NumericCore", "SimCore"],
            exclude: ["README.md"],
            swiftSettings: hotLoopSettings),  // its engine-floor model is a hot loop too
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore"]),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore"]),
        .testTarget(name: "InferenceSimTests", dependencies: ["InferenceSim", "NumericCore", "SimCore", "Scenarios", "Planning"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "InferenceSim", "NumericCore"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["Reporting", "InferenceSim"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "NumericCore", "Scenarios"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Scenarios", "Reporting"]),
    ]
)
