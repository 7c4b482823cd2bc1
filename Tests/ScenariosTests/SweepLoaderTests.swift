// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// The `sweep:` section: expansion of grids, point lists and ranges; every point checked like
/// the file; golden diagnostics for bad sweeps (`Fixtures/sweeps/NAME.yaml` → `NAME.diagnostics`,
/// re-recorded with `HYBRIDSIM_RECORD_GOLDEN=1`, which fails on purpose).
final class SweepLoaderTests: XCTestCase {
    static let base = """
        name: mmc-sweep
        seed: 7
        run: {requests: 2000, warmupRequests: 200, replications: 2}
        models:
          m: {serviceTime: {dist: exponential, mean: 1s}}
        nodes:
          s: {kind: server, workers: 4}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 3.2/s}}

        """

    func testGridIsTheCartesianProductWithTheFirstKeySlowest() throws {
        let sweep = try ScenarioLoader.loadSweep(yaml: Self.base + """
            sweep:
              grid:
                workload.0.arrivals.rate: [2/s, 3/s]
                nodes.s.workers: [2, 3, 5]
            """, file: "t.yaml")
        XCTAssertEqual(sweep.points.count, 6)
        XCTAssertEqual(sweep.points.map(\.canonicalText), [
            "workload.0.arrivals.rate=2/s nodes.s.workers=2", "workload.0.arrivals.rate=2/s nodes.s.workers=3",
            "workload.0.arrivals.rate=2/s nodes.s.workers=5", "workload.0.arrivals.rate=3/s nodes.s.workers=2",
            "workload.0.arrivals.rate=3/s nodes.s.workers=3", "workload.0.arrivals.rate=3/s nodes.s.workers=5",
        ])
        XCTAssertEqual(sweep.points.map(\.index), Array(0..<6))
        XCTAssertEqual(sweep.keyPaths, ["workload.0.arrivals.rate", "nodes.s.workers"])
        XCTAssertEqual(sweep.points[4].config.nodes.first?.workers, 3)
        XCTAssertEqual(sweep.points[4].config.seed, 7)
    }

    func testPointsAndFlowValuesKeepTheFileSyntax() throws {
        let sweep = try ScenarioLoader.loadSweep(yaml: Self.base + """
            sweep:
              points:
                - {run: {requests: 100, replications: 1}}
                - {name: "x-y", seed: 3}
                - {}
            """, file: "t.yaml")
        XCTAssertEqual(sweep.points.map(\.canonicalText), ["run={requests: 100, replications: 1}", "name=\"x-y\" seed=3", ""])
        XCTAssertEqual(sweep.points[0].config.run.replications, 1)
        XCTAssertEqual(sweep.points[1].config.name, "x-y")
        XCTAssertEqual(sweep.keyPaths, ["run", "name", "seed"])
    }

    func testRangesStepInTheUnitOfFrom() throws {
        let sweep = try ScenarioLoader.loadSweep(yaml: Self.base + """
            sweep: {grid: {workload.0.arrivals.rate: {from: 0.5/s, to: 1.5/s, step: 0.25/s}}}
            """, file: "t.yaml")
        XCTAssertEqual(sweep.points.map { $0.settings[0].value }, ["0.50/s", "0.75/s", "1.00/s", "1.25/s", "1.50/s"])
    }

    func testRunIgnoresTheSweep() throws {
        let yaml = Self.base + "sweep: {grid: {nodes.s.workers: [1, 2]}}\n"
        let plain = try ScenarioLoader.load(yaml: Self.base, file: "t.yaml")
        XCTAssertEqual(try ScenarioLoader.load(yaml: yaml, file: "t.yaml"), plain)
        XCTAssertEqual(try ScenarioLoader.loadSweep(yaml: yaml, file: "t.yaml").base, plain)
        XCTAssertTrue(try ScenarioLoader.loadSweep(yaml: Self.base, file: "t.yaml").points.isEmpty)
    }

    /// `sweep --jobs N` decodes the points on N threads: the points, or the diagnostics (each
    /// naming the first point that has it and how many more do), must not depend on N — for
    /// every sweep fixture, and for a grid whose 14 points do not divide evenly among 3 threads.
    func testExpansionDoesNotDependOnTheNumberOfThreads() throws {
        let directory = NSTemporaryDirectory() + "hybridsim-sweep-threads-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let grid = directory + "/grid.yaml"
        try (Self.base + """
            sweep:
              grid:
                workload.0.arrivals.rate: [1/s, 2/s, 3/s, 4/s, 5/s, 6/s, 7/s]
                nodes.s.workers: [2, 5]
            """).write(toFile: grid, atomically: true, encoding: .utf8)
        let one = try ScenarioLoader.loadSweep(path: grid, jobs: 1)
        XCTAssertEqual(one.points.count, 14)
        for jobs in [2, 3, 64] {
            let many = try ScenarioLoader.loadSweep(path: grid, jobs: jobs)
            XCTAssertEqual(many.points.map(\.index), Array(0..<14))
            XCTAssertEqual(many.points.map(\.canonicalText), one.points.map(\.canonicalText))
            XCTAssertEqual(many.points.map(\.config), one.points.map(\.config))
        }
        XCTAssertEqual(one.points[13].config.nodes.first?.workers, 5)

        func outcome(_ path: String, jobs: Int) -> String {
            do {
                return try ScenarioLoader.loadSweep(path: path, jobs: jobs).points.map(\.canonicalText).joined(separator: "\n")
            } catch {
                return error.diagnostics.map(\.rendered).joined(separator: "\n")
            }
        }
        let files = try Fixtures.yamlFiles(in: "sweeps")
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            XCTAssertEqual(outcome(file.path, jobs: 3), outcome(file.path, jobs: 1), file.lastPathComponent)
        }
    }

    func testBadSweepsGiveTheirGoldenDiagnostics() throws {
        let recording = ProcessInfo.processInfo.environment["HYBRIDSIM_RECORD_GOLDEN"] == "1"
        let files = try Fixtures.yamlFiles(in: "sweeps")
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            let actual: String
            do {
                let sweep = try ScenarioLoader.loadSweep(path: file.path)
                actual = "LOADED WITHOUT ERRORS: \(sweep.points.count) points\n"
            } catch {
                let prefix = Fixtures.directory.path + "/"
                actual = error.diagnostics.map { $0.rendered.replacingOccurrences(of: prefix, with: "") }.joined(separator: "\n") + "\n"
            }
            let golden = file.deletingPathExtension().appendingPathExtension("diagnostics")
            if recording {
                try actual.write(to: golden, atomically: true, encoding: .utf8)
            } else {
                XCTAssertEqual(actual, try? String(contentsOf: golden, encoding: .utf8), file.lastPathComponent)
            }
        }
        XCTAssertFalse(recording, "recorded the golden files of Fixtures/sweeps: review them and run again")
    }
}
