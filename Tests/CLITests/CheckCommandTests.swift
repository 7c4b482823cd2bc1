// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `hybridsim check`: within tolerance, regression with JUnit, missing baseline, `--update`.
final class CheckCommandTests: XCTestCase {
    let scenario = "scenarios/image-collaborative.yaml"
    let short = ["--set", "run.requests=2000", "--set", "run.warmupRequests=200", "--set", "run.replications=2"]

    /// A fresh baseline made with `--update` and the short overrides.
    private func makeBaseline() throws -> (directory: String, baseline: String) {
        let directory = try BinaryRunner.temporaryDirectory()
        let baseline = directory + "/baseline.json"
        let result = try BinaryRunner.run(["check", scenario, "--baseline", baseline, "--update"] + short)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("updated baseline"), result.stdout)
        return (directory, baseline)
    }

    func testUpdateWritesTheBaselineAndAnIdenticalRunIsWithinTolerance() throws {
        let (directory, baseline) = try makeBaseline()
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: baseline))) as? [String: Any]
        XCTAssertEqual(stored?["scenario"] as? String, "image-collaborative")
        let junit = directory + "/check.xml"
        let result = try BinaryRunner.run(["check", scenario, "--baseline", baseline, "--junit", junit] + short)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        for column in ["metric", "baseline", "now", "delta", "verdict", "latency_s.p99", "check passed"] {
            XCTAssertTrue(result.stdout.contains(column), "\(column) in\n\(result.stdout)")
        }
        let suite = try JUnitSuite(path: junit)
        XCTAssertEqual(suite.testcases.count, 5)
        XCTAssertTrue(suite.failures.isEmpty, "\(suite.failures)")

        // --update over an existing baseline rewrites it (atomically: no temporary file left).
        let rate = try BinaryRunner.run(["check", scenario, "--baseline", baseline, "--update",
                                         "--set", "workload.0.arrivals.rate=80/s"] + short)
        XCTAssertEqual(rate.status, 0, rate.stderr)
        let updated = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: baseline))) as? [String: Any]
        XCTAssertEqual(try XCTUnwrap(updated?["throughput_rps"] as? Double), 80, accuracy: 4)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["baseline.json", "check.xml"])
    }

    /// A different load moves throughput beyond 5 %: exit 1 and a JUnit failure with the numbers.
    func testRegressionExitsOneWithWellFormedJUnitFailure() throws {
        let (directory, baseline) = try makeBaseline()
        let junit = directory + "/check.xml"
        let result = try BinaryRunner.run(["check", scenario, "--baseline", baseline, "--junit", junit,
                                           "--set", "workload.0.arrivals.rate=80/s"] + short)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("REGRESSION"), result.stdout)
        XCTAssertTrue(result.stderr.contains("throughput_rps"), result.stderr)
        let suite = try JUnitSuite(path: junit)
        XCTAssertEqual(suite.testcases, ["latency_s.mean", "latency_s.p99", "throughput_rps", "accuracy.fused", "cost_per_h"])
        let failure = try XCTUnwrap(suite.failures.first { $0.testcase == "throughput_rps" })
        for part in ["throughput_rps: baseline ", ", now ", "tolerance 5%", "REGRESSION"] {
            XCTAssertTrue(failure.message.contains(part), "\(part) in \(failure.message)")
        }
        XCTAssertTrue(failure.body.contains("baseline: 5") || failure.body.contains("baseline: 6"), failure.body)
        XCTAssertTrue(failure.body.contains("delta: +"), failure.body)
        XCTAssertEqual(suite.failureCountAttribute, suite.failures.count)
    }

    /// A metric missing from the baseline is reported as a failure, not ignored.
    func testMetricMissingFromBaselineFails() throws {
        let (_, baseline) = try makeBaseline()
        var text = try String(contentsOfFile: baseline, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"throughput_rps\"", with: "\"throughput_old\"")
        try text.write(toFile: baseline, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["check", scenario, "--baseline", baseline] + short)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("MISSING"), result.stdout)
        XCTAssertTrue(result.stdout.contains("missing (or not a number) in the baseline"), result.stdout)
    }

    func testMissingOrUnreadableBaselineExitsTwo() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let missing = try BinaryRunner.run(["check", scenario, "--baseline", directory + "/none.json"] + short)
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--update"), missing.stderr)

        try "{\"latency_s\": ".write(toFile: directory + "/broken.json", atomically: true, encoding: .utf8)
        let broken = try BinaryRunner.run(["check", scenario, "--baseline", directory + "/broken.json"] + short)
        XCTAssertEqual(broken.status, 2, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("not a readable summary.json"), broken.stderr)
    }

    func testScenarioWithoutCheckSectionExitsTwo() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["check", "scenarios/mmc-example.yaml", "--baseline", directory + "/b.json"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("no `check:` section"), result.stderr)
    }

    /// Beyond a tight tolerance: inside the run's own 95 % interval is not a regression; a
    /// lower latency is an improvement; a higher one beyond the interval is a regression.
    func testConfidenceIntervalAndDirection() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let scenarioFile = directory + "/mm1.yaml"
        try """
            name: mm1-check
            seed: 3
            run: {requests: 500, warmupRequests: 50, replications: 3}
            models:
              m: {serviceTime: {dist: exponential, mean: 1s}}
            nodes:
              s: {kind: server}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 0.5/s}}
            check:
              latency_s.mean: {relative: 0.1%}
            """.write(toFile: scenarioFile, atomically: true, encoding: .utf8)
        let baseline = directory + "/baseline.json"
        XCTAssertEqual(try BinaryRunner.run(["check", scenarioFile, "--baseline", baseline, "--update"]).status, 0)
        let original = try String(contentsOfFile: baseline, encoding: .utf8)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
        let latency = try XCTUnwrap(summary["latency_s"] as? [String: Any])
        let mean = try XCTUnwrap(latency["mean"] as? Double)
        let ci = try XCTUnwrap(latency["ci95"] as? [Double])
        let halfWidth = (ci[1] - ci[0]) / 2
        XCTAssertGreaterThan(halfWidth, 0.002 * mean, "the interval must be wider than the tolerance for this test")

        func check(baselineMean: Double) throws -> BinaryRunner.Output {
            let text = original.replacingOccurrences(of: "\"mean\": \(mean)", with: "\"mean\": \(baselineMean)")
            XCTAssertNotEqual(text, original)
            try text.write(toFile: baseline, atomically: true, encoding: .utf8)
            return try BinaryRunner.run(["check", scenarioFile, "--baseline", baseline])
        }
        let inside = try check(baselineMean: mean - 0.8 * halfWidth)
        XCTAssertEqual(inside.status, 0, inside.stdout)
        XCTAssertTrue(inside.stdout.contains("ok (within CI)"), inside.stdout)
        let better = try check(baselineMean: mean + 3 * halfWidth)
        XCTAssertEqual(better.status, 0, better.stdout)
        XCTAssertTrue(better.stdout.contains("improved"), better.stdout)
        let worse = try check(baselineMean: mean - 3 * halfWidth)
        XCTAssertEqual(worse.status, 1, worse.stdout)
        XCTAssertTrue(worse.stdout.contains("REGRESSION"), worse.stdout)
    }

    /// The committed baselines pass with the overrides of scripts/check-baselines.sh.
    func testCommittedBaselineOfTheSourceDocumentCasePasses() throws {
        let result = try BinaryRunner.run(["check", scenario, "--baseline", "results/baselines/image-collaborative.json",
                                           "--set", "run.requests=5000", "--set", "run.warmupRequests=500",
                                           "--set", "run.replications=3"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    }
}

/// A JUnit XML file parsed with Foundation's XMLParser (so malformed XML fails the test).
private final class JUnitSuite: NSObject, XMLParserDelegate {
    struct Failure {
        var testcase: String
        var message: String
        var body: String
    }

    private(set) var testcases: [String] = []
    private(set) var failures: [Failure] = []
    private(set) var failureCountAttribute = -1
    private var inFailure = false

    init(path: String) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        guard parser.parse() else {
            throw NSError(domain: "JUnit", code: 1,
                          userInfo: [NSLocalizedDescriptionKey: "malformed XML: \(String(describing: parser.parserError))"])
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "testsuite": failureCountAttribute = Int(attributes["failures"] ?? "") ?? -1
        case "testcase": testcases.append(attributes["name"] ?? "")
        case "failure":
            failures.append(Failure(testcase: testcases.last ?? "", message: attributes["message"] ?? "", body: ""))
            inFailure = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inFailure { failures[failures.count - 1].body += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "failure" { inFailure = false }
    }
}
