// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// The `plan:` section: enumeration of candidates (choices slowest, then variables in file
/// order), objective and search settings, every candidate checked like the file, the
/// ready-to-run scenario of a candidate, and golden diagnostics for bad plans
/// (`Fixtures/plans/NAME.yaml` → `NAME.diagnostics`, re-recorded with `HYBRIDSIM_RECORD_GOLDEN=1`,
/// which fails on purpose).
final class PlanLoaderTests: XCTestCase {
    func testCandidatesAreTheProductOfChoicesAndVariablesInOrder() throws {
        let plan = try ScenarioLoader.loadPlan(path: Fixtures.url("plans/valid.yaml").path)
        // 2 choices × 3 workers × 2 placements.
        XCTAssertEqual(plan.candidates.count, 12)
        XCTAssertEqual(plan.candidates.map(\.index), Array(0..<12))
        XCTAssertEqual(plan.candidates.map(\.choice), Array(repeating: "slow", count: 6) + Array(repeating: "fast", count: 6))
        XCTAssertEqual(plan.candidates[0].settingsText, "workload.0.arrivals.rate=3/s nodes.s.workers=4 deployment.on=s")
        XCTAssertEqual(plan.candidates[1].settingsText, "workload.0.arrivals.rate=3/s nodes.s.workers=4 deployment.on=e")
        XCTAssertEqual(plan.candidates[11].settingsText,
                       "workload.0.arrivals.rate=3.5/s nodes.e.powerMode=low nodes.s.workers=6 deployment.on=e")
        XCTAssertEqual(plan.keyPaths, ["workload.0.arrivals.rate", "nodes.s.workers", "deployment.on", "nodes.e.powerMode"])
        let last = plan.candidates[11].config
        XCTAssertEqual(last.nodes.first { $0.name == "s" }?.workers, 6)
        XCTAssertEqual(last.nodes.first { $0.name == "e" }?.powerMode, "low")
        XCTAssertEqual(last.deployment.placements.first?.node, "e")
        XCTAssertEqual(last.seed, 7, "every candidate keeps the file's seed (common random numbers)")
        XCTAssertEqual(plan.objective, .minimizeLatency(.percentile(99)))
        XCTAssertEqual(plan.search, PlanSearchSettings(replications: 3, maxReplications: 9, confidence: 0.9, maxSimulated: 10, batch: 2))
        XCTAssertEqual(plan.search.stages, [3, 6, 9])
    }

    func testDefaultsAndStages() throws {
        let plan = try ScenarioLoader.loadPlan(path: Fixtures.url("plans/valid.yaml").path,
                                               overrides: ["plan.search={}", "plan.minimize=cost"])
        XCTAssertEqual(plan.objective, .minimizeCost)
        XCTAssertEqual(plan.search, PlanSearchSettings())
        XCTAssertEqual(PlanSearchSettings().stages, [2, 4, 8])
        XCTAssertEqual(PlanSearchSettings(replications: 3, maxReplications: 5).stages, [3, 5])
        XCTAssertEqual(PlanSearchSettings(replications: 4, maxReplications: 4).stages, [4])
    }

    func testRunIgnoresThePlanAndAFileWithoutPlanIsRejected() throws {
        let file = Fixtures.url("plans/valid.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let withoutPlan = String(text[..<text.range(of: "plan:\n")!.lowerBound])
        XCTAssertEqual(try ScenarioLoader.load(path: file), try ScenarioLoader.load(yaml: withoutPlan, file: file))
        XCTAssertThrowsError(try ScenarioLoader.loadPlan(yaml: withoutPlan, file: "t.yaml")) { error in
            XCTAssertEqual((error as? ScenarioLoadError)?.diagnostics.map(\.message), ["the scenario has no `plan:` section"])
        }
    }

    /// The ready-to-run scenario of a candidate loads to exactly the candidate's scenario, run
    /// with the search's final replication count.
    func testCandidateScenarioFileLoadsToTheCandidate() throws {
        let plan = try ScenarioLoader.loadPlan(path: Fixtures.url("plans/valid.yaml").path)
        for candidate in [plan.candidates[0], plan.candidates[11]] {
            let yaml = plan.scenarioYAML(for: candidate, directory: NSTemporaryDirectory(), header: ["a comment"])
            XCTAssertTrue(yaml.hasPrefix("# a comment\n"))
            XCTAssertFalse(yaml.contains("plan:"))
            var expected = candidate.config
            expected.run.replications = plan.search.maxReplications
            XCTAssertEqual(try ScenarioLoader.load(yaml: yaml, file: NSTemporaryDirectory() + "best.yaml"), expected)
        }
    }

    /// Data files named relative to the scenario are renamed relative to the output folder, so
    /// that the written scenario loads from there to the candidate's scenario.
    func testDataFilePathsAreRelativeToTheOutputFolder() throws {
        let file = Fixtures.url("valid/empirical.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8) + "plan: {variables: {nodes.s.workers: [1, 2]}}\n"
        let plan = try ScenarioLoader.loadPlan(yaml: text, file: file)
        let directory = Fixtures.url("valid/catalog").path  // any folder other than the scenario's
        let yaml = plan.scenarioYAML(for: plan.candidates[1], directory: directory, header: [])
        XCTAssertTrue(yaml.contains("file: \"../service-samples.csv\""), yaml)
        var expected = plan.candidates[1].config
        expected.run.replications = plan.search.maxReplications
        XCTAssertEqual(try ScenarioLoader.load(yaml: yaml, file: directory + "/best.yaml"), expected)
        XCTAssertEqual(Plan.relativePath(from: "/a/results/x-plan", to: "/a/scenarios/data/s.csv"), "../../scenarios/data/s.csv")
        XCTAssertEqual(Plan.relativePath(from: "/a/b", to: "/a/b/c.csv"), "c.csv")
    }

    func testBadPlansGiveTheirGoldenDiagnostics() throws {
        let recording = ProcessInfo.processInfo.environment["HYBRIDSIM_RECORD_GOLDEN"] == "1"
        let files = try Fixtures.yamlFiles(in: "plans")
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            let actual: String
            do {
                let plan = try ScenarioLoader.loadPlan(path: file.path)
                actual = "LOADED WITHOUT ERRORS: \(plan.candidates.count) candidates\n"
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
        XCTAssertFalse(recording, "recorded the golden files of Fixtures/plans: review them and run again")
    }
}
