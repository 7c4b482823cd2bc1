// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim run` and `hybridsim validate` as a user runs them: the built binary.
final class RunCommandTests: XCTestCase {
    /// A short version of the CONTRACT's M/M/4 example.
    let short = ["--set", "run.requests=3000", "--set", "run.warmupRequests=300", "--set", "run.replications=3"]

    private func summary(at directory: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// summary.json without the wall-clock fields, as bytes.
    private func deterministicPart(of directory: String) throws -> String {
        let text = try String(contentsOfFile: directory + "/summary.json", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.contains("\"wall_s\"") && !$0.contains("\"events_per_s\"") }
            .joined(separator: "\n")
    }

    func testRunWritesEveryContractKeyThatApplies() throws {
        let out = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--out", out] + short)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("latency (ms)"), result.stdout)
        let json = try summary(at: out)
        XCTAssertEqual(json["scenario"] as? String, "mmc-example")
        XCTAssertEqual(json["seed"] as? Int, 7)
        XCTAssertEqual(json["replications"] as? Int, 3)
        let requests = try XCTUnwrap(json["requests"] as? [String: Any])
        XCTAssertEqual(requests["completed"] as? Int, 9000)
        XCTAssertEqual(requests["dropped"] as? Int, 0)
        let latency = try XCTUnwrap(json["latency_s"] as? [String: Any])
        for key in ["mean", "p50", "p95", "p99", "max"] { XCTAssertNotNil(latency[key] as? Double, key) }
        let ci = try XCTUnwrap(latency["ci95"] as? [Double])
        XCTAssertEqual(ci.count, 2)
        XCTAssertLessThan(ci[0], ci[1])
        let wait = try XCTUnwrap(json["wait_s"] as? [String: Any])
        XCTAssertNotNil(wait["mean"] as? Double)
        XCTAssertEqual(try XCTUnwrap(json["throughput_rps"] as? Double), 3.2, accuracy: 0.3)
        let node = try XCTUnwrap((json["nodes"] as? [String: Any])?["s"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(node["utilization"] as? Double), 0.8, accuracy: 0.08)
        XCTAssertNotNil(node["mean_queue_length"] as? Double)
        let engine = try XCTUnwrap(json["engine"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(engine["events"] as? Int), 2 * 9000)
        XCTAssertNotNil(engine["wall_s"] as? Double)
        XCTAssertNotNil(engine["events_per_s"] as? Double)
    }

    /// An edge device saturated at its 30 W cap draws exactly 30 W; the run's mean power comes out
    /// 30 + 3.6e-15 W (floating-point rounding of the energy sum). Within SLOTolerance.relative
    /// (1e-9) of the cap the objective is met with margin 0 (it used to be missed by -3.553e-15).
    func testAValueAtItsCapMeetsTheObjective() throws {
        let out = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "scenarios/image-collaborative.yaml", "--out", out,
                                           "--set", "workload.0.arrivals.rate=260/s", "--set", "run.requests=3000"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let objectives = try XCTUnwrap((summary(at: out)["slo"] as? [String: Any])?["objectives"] as? [[String: Any]])
        let power = try XCTUnwrap(objectives.first { $0["name"] as? String == "edge_power.edge-e" })
        let value = try XCTUnwrap(power["value"] as? Double)
        XCTAssertNotEqual(value, 30, "the case needs a value that rounding put just past the cap")
        XCTAssertEqual(value, 30, accuracy: 30e-9)
        XCTAssertEqual(power["met"] as? Bool, true)
        XCTAssertEqual(power["margin"] as? Double, 0)
        XCTAssertTrue(result.stdout.contains("edge_power.edge-e     met"), result.stdout)
    }

    /// Same seed ⇒ identical summary.json apart from engine.wall_s and engine.events_per_s,
    /// whatever the number of threads; another seed ⇒ different numbers.
    func testSameSeedSameBytesAcrossThreadCountsAndOtherSeedDiffers() throws {
        var parts: [String] = []
        for (seed, jobs) in [(21, 1), (21, 3), (22, 2)] {
            let out = try BinaryRunner.temporaryDirectory()
            let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out,
                                               "--seed", String(seed), "--jobs", String(jobs)] + short)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, "", "--quiet prints nothing")
            parts.append(try deterministicPart(of: out))
        }
        XCTAssertEqual(parts[0], parts[1])
        XCTAssertNotEqual(parts[0], parts[2])
        XCTAssertTrue(parts[2].contains("\"seed\": 22"))
    }

    /// The same holds with a network, fusion at a deadline and accuracy: the collaborative
    /// image case on 1 and 2 threads gives the same bytes.
    func testCollaborativeScenarioIsReproducibleAcrossThreadCounts() throws {
        var parts: [String] = []
        for jobs in [1, 2] {
            let out = try BinaryRunner.temporaryDirectory()
            let result = try BinaryRunner.run([
                "run", "scenarios/image-collaborative.yaml", "--quiet", "--out", out, "--jobs", String(jobs),
                "--set", "run={requests: 2000, warmupRequests: 100, replications: 3}",
                "--set", "deployment.fusion={method: vote, deadline: 12ms, quorum: 1}",
            ])
            XCTAssertEqual(result.status, 0, result.stderr)
            parts.append(try deterministicPart(of: out))
        }
        XCTAssertEqual(parts[0], parts[1])
        XCTAssertTrue(parts[0].contains("\"accuracy\""))
        XCTAssertTrue(parts[0].contains("\"answers_joined\""))
    }

    func testPipelineRuns() throws {
        let out = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "scenarios/pipeline-3.yaml", "--quiet", "--out", out,
                                           "--set", "run.requests=2000", "--set", "run.warmupRequests=100"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let nodes = try XCTUnwrap(try summary(at: out)["nodes"] as? [String: Any])
        XCTAssertEqual(Set(nodes.keys), ["ingest", "gpu-a", "gpu-b"])
    }

    /// Invalid input exits 2 with located diagnostics and writes no result.
    func testInvalidScenarioExitsTwoWithLocatedDiagnosticsAndNoResult() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/bad.yaml"
        try """
            name: bad
            run: {requests: 100}
            models:
              m: {serviceTime: {dist: exponental, mean: 1s}}
            nodes:
              s: {kind: server, workers: 4}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: -3/s}}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = directory + "/out"
        let result = try BinaryRunner.run(["run", file, "--out", out])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("\(file):4:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file):9:"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/summary.json"))

        let validate = try BinaryRunner.run(["validate", file, "scenarios/mmc-example.yaml"])
        XCTAssertEqual(validate.status, 2)
        XCTAssertTrue(validate.stderr.contains("error:"), validate.stderr)
        XCTAssertTrue(validate.stdout.contains("scenarios/mmc-example.yaml: ok"), validate.stdout)
    }

    /// Every scenario file shipped in scenarios/ validates, and runs at a short horizon.
    func testEveryShippedScenarioValidatesAndRuns() throws {
        let root = BinaryRunner.packageRoot.appendingPathComponent("scenarios").path
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        // scenarios/catalog/ holds pieces for `include:`, not whole scenarios.
        let files = enumerator.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("catalog/") }.sorted()
            .map { "scenarios/" + $0 }
        XCTAssertGreaterThanOrEqual(files.count, 8, "\(files)")
        let validate = try BinaryRunner.run(["validate"] + files)
        XCTAssertEqual(validate.status, 0, validate.stderr)
        for file in files {
            let out = try BinaryRunner.temporaryDirectory()
            let run = try BinaryRunner.run(["run", file, "--quiet", "--out", out,
                                            "--set", "run={requests: 400, warmupRequests: 40, replications: 2}"])
            XCTAssertEqual(run.status, 0, "\(file): \(run.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/summary.json"), file)
        }
    }

    /// Bad arguments exit 2 as well: an unknown option, a malformed --set, a missing file.
    func testBadArgumentsExitTwo() throws {
        XCTAssertEqual(try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--frobnicate"]).status, 2)
        XCTAssertEqual(try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--set", "run.requests"]).status, 2)
        XCTAssertEqual(try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--jobs", "0"]).status, 2)
        let missing = try BinaryRunner.run(["run", "scenarios/no-such-file.yaml"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no-such-file.yaml"), missing.stderr)
    }

    /// `hybridsim schema` prints a JSON Schema document.
    func testSchemaPrintsJSONSchema() throws {
        let result = try BinaryRunner.run(["schema"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(schema["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        XCTAssertNotNil((schema["properties"] as? [String: Any])?["deployment"])
    }

    func testHelpShowsExamples() throws {
        let help = try BinaryRunner.run(["run", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("hybridsim run scenarios/mmc-example.yaml"), help.stdout)
    }
}
