// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// The results folder `hybridsim run` writes: summary, resolved scenario, manifest.
final class ResultsFolderTests: XCTestCase {
    let short = ["--set", "run.requests=2000", "--set", "run.warmupRequests=200", "--set", "run.replications=2"]

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    func testRunWritesResolvedScenarioAndManifest() throws {
        let out = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "scenarios/image-collaborative.yaml", "--quiet", "--out", out,
                                           "--seed", "5"] + short)
        XCTAssertEqual(result.status, 0, result.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files, ["manifest.json", "scenario.resolved.json", "summary.json", "timeline.csv"])

        let manifest = try json(out + "/manifest.json")
        XCTAssertEqual(manifest["outcome"] as? String, "ok")
        XCTAssertTrue(manifest["message"] is NSNull)
        XCTAssertEqual(manifest["seed"] as? Int, 5)
        XCTAssertEqual(manifest["replications"] as? Int, 2)
        XCTAssertEqual(manifest["scenario"] as? String, "image-collaborative")
        XCTAssertEqual(manifest["files"] as? [String],
                       ["scenario.resolved.json", "summary.json", "timeline.csv", "manifest.json"])
        XCTAssertFalse(try XCTUnwrap(manifest["hybridsim_version"] as? String).isEmpty)
        XCTAssertGreaterThan(try XCTUnwrap(manifest["wall_s"] as? Double), 0)
        // The tests run in the package root, a git checkout when CI clones it; elsewhere null.
        if let commit = manifest["git_commit"] as? String {
            XCTAssertEqual(commit.count, 40)
        } else {
            XCTAssertTrue(manifest["git_commit"] is NSNull)
        }

        // The resolved scenario: the include's nodes and models are in, overrides applied,
        // defaults filled in.
        let resolved = try json(out + "/scenario.resolved.json")
        XCTAssertEqual(resolved["name"] as? String, "image-collaborative")
        XCTAssertEqual(resolved["seed"] as? Int, 5)
        let run = try XCTUnwrap(resolved["run"] as? [String: Any])
        XCTAssertEqual(run["requests"] as? Int, 2000)
        XCTAssertEqual(run["replications"] as? Int, 2)
        let nodes = try XCTUnwrap(resolved["nodes"] as? [[String: Any]])
        XCTAssertTrue(nodes.contains { $0["name"] as? String == "edge-e" }, "nodes from the included catalog")
        XCTAssertNotNil(resolved["deployment"])
    }

    /// An autoscaled pool's run: timeline.csv holds the first replication's samples, one row
    /// per node per 30 s (the pool's autoscaling interval), and the summary its instance counts.
    func testAutoscaledRunWritesTimeline() throws {
        let out = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["run", "scenarios/cloud-autoscale.yaml", "--quiet", "--out", out,
                                           "--set", "run={duration: 30min, warmup: 0s, replications: 2}"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: out + "/timeline.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "replication,time_s,node,instances,booting,workers,busy_workers,queue,utilization,power_w")
        XCTAssertEqual(lines.count, 1 + 59, "samples at 30 s … 1770 s (the run stops at 1800 s before sampling)")
        XCTAssertTrue(lines[1].hasPrefix("0,30.0,pool,"), String(lines[1]))
        let instances = lines.dropFirst().map { Int($0.split(separator: ",")[3])! }
        let pool = try XCTUnwrap((try json(out + "/summary.json"))["nodes"] as? [String: Any])["pool"] as? [String: Any]
        let maximum = try XCTUnwrap(pool?["instances_max"] as? Int)
        XCTAssertGreaterThan(maximum, 1, "the peak needs more than one instance")
        XCTAssertLessThanOrEqual(instances.max()!, 12)
        XCTAssertGreaterThan(try XCTUnwrap(pool?["instances_mean"] as? Double), 1)
    }

    /// A run that fails after its scenario loaded leaves a manifest saying why, and no summary.
    func testFailedRunLeavesManifestWithReason() throws {
        let out = try BinaryRunner.temporaryDirectory()
        // summary.json cannot be written: a directory is in its place.
        try FileManager.default.createDirectory(atPath: out + "/summary.json", withIntermediateDirectories: false)
        let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out] + short)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("summary.json"), result.stderr)
        let manifest = try json(out + "/manifest.json")
        XCTAssertEqual(manifest["outcome"] as? String, "failed")
        XCTAssertTrue(try XCTUnwrap(manifest["message"] as? String).contains("cannot write"))
        XCTAssertEqual(manifest["files"] as? [String], ["scenario.resolved.json", "manifest.json"])
    }

    /// An invalid scenario fails before loading: exit 2 and no folder at all.
    func testInvalidScenarioWritesNothing() throws {
        let out = try BinaryRunner.temporaryDirectory() + "/never"
        let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--out", out,
                                           "--set", "run.requests=-1"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
