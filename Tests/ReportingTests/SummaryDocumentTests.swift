// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Reporting
import Results
import XCTest

/// `summary.json` as a typed document: its keys, their order, `null` versus absent, and
/// reading back the files earlier versions wrote.
final class SummaryDocumentTests: XCTestCase {
    private func minimal() -> SummaryDocument {
        SummaryDocument(scenario: "s", seed: 7, replications: 2, requests: .init(completed: 3, dropped: 0),
                        latency: .init(), wait: .init(), throughput: 1.5,
                        nodes: .init([("b", .init(utilization: 0.5, meanQueueLength: 0)), ("a", .init(utilization: 1, meanQueueLength: 2.25))]),
                        engine: .init(events: 12, wallSeconds: 0.5, eventsPerSecond: 24))
    }

    /// Unmeasured pinned figures are written as `null`; optional blocks that do not apply are
    /// left out; nodes keep their order; whole numbers print as `1.0` (as the file always had).
    func testKeysOrderNullsAndNumbersAreExactlyTheFileFormat() {
        XCTAssertEqual(minimal().json.rendered(), """
            {
              "scenario": "s",
              "seed": 7,
              "replications": 2,
              "requests": {
                "completed": 3,
                "dropped": 0
              },
              "latency_s": {
                "mean": null,
                "p50": null,
                "p95": null,
                "p99": null,
                "max": null,
                "ci95": null
              },
              "wait_s": {
                "mean": null
              },
              "throughput_rps": 1.5,
              "nodes": {
                "b": {
                  "utilization": 0.5,
                  "mean_queue_length": 0.0
                },
                "a": {
                  "utilization": 1.0,
                  "mean_queue_length": 2.25
                }
              },
              "engine": {
                "events": 12,
                "wall_s": 0.5,
                "events_per_s": 24.0
              }
            }

            """)
    }

    /// The stored baselines (written by earlier versions) read into the type and write back
    /// byte for byte: no key is lost, renamed, reordered or reformatted.
    func testBaselinesRoundTripByteForByte() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../results/baselines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, 3, "the baselines of results/baselines")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let document = try SummaryDocument(json: JSONValue.parse(text))
            XCTAssertEqual(document.json.rendered(), text, file)
            XCTAssertFalse(document.nodes.entries.isEmpty, file)
            XCTAssertNotNil(document.slo, file)
        }
    }

    /// A summary of an earlier version, without the keys added after CONTRACT.md's (breakdown,
    /// warnings, late answers, histogram), still reads; they read as absent.
    func testOlderSummariesWithoutLaterKeysRead() throws {
        let text = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../results/baselines/image-collaborative.json").path, encoding: .utf8)
        guard case .object(let members) = try JSONValue.parse(text) else { return XCTFail("not an object") }
        let later: Set = ["breakdown_s", "warnings", "measured_s", "fusion"]
        let older = JSONValue.object(members.filter { !later.contains($0.0) }.map { key, value in
            guard key == "requests" || key == "latency_s", case .object(let inner) = value else { return (key, value) }
            return (key, .object(inner.filter { !["late_answers", "histogram", "ci95_method"].contains($0.0) }))
        })
        let document = try SummaryDocument(json: older)
        XCTAssertNil(document.breakdown)
        XCTAssertNil(document.warnings)
        XCTAssertNil(document.requests.lateAnswers)
        XCTAssertNil(document.latency.histogram)
        XCTAssertNotNil(document.latency.p99)
        XCTAssertEqual(document.json, older, "what was there is written back as it was")
    }

    /// A measured summary (the validation testbed's) has no `wait_s`, no `engine` and no
    /// `nodes.<name>.mean_queue_length`: it reads, and is written back without them.
    func testMeasuredSummariesWithoutWaitEngineOrQueuesRead() throws {
        guard case .object(let members) = minimal().json else { return XCTFail("not an object") }
        let measured = JSONValue.object(members.filter { $0.0 != "wait_s" && $0.0 != "engine" }.map { key, value in
            guard key == "nodes", case .object(let nodes) = value else { return (key, value) }
            return (key, .object(nodes.map { name, node in
                guard case .object(let fields) = node else { return (name, node) }
                return (name, .object(fields.filter { $0.0 != "mean_queue_length" }))
            }))
        })
        let document = try SummaryDocument(json: measured)
        XCTAssertNil(document.wait)
        XCTAssertNil(document.engine)
        XCTAssertFalse(document.nodes.entries.isEmpty, "the minimal summary has a node")
        XCTAssertTrue(document.nodes.entries.allSatisfy { $0.value.meanQueueLength == nil })
        XCTAssertEqual(document.json, measured)
    }

    /// A file without a pinned key, or with one of the wrong type, is refused with the key path.
    func testReadErrorsNameTheKeyPath() throws {
        var members: [(String, JSONValue)] = []
        if case .object(let all) = minimal().json { members = all }
        let withoutCompleted = members.map { key, value in
            key == "requests" ? (key, JSONValue.object([("dropped", .int(0))])) : (key, value)
        }
        XCTAssertThrowsError(try SummaryDocument(json: .object(withoutCompleted))) { error in
            XCTAssertEqual((error as? SummaryDocument.ReadError)?.description, "not a summary.json: `requests.completed` is missing")
        }
        let textSeed = members.map { key, value in key == "seed" ? (key, JSONValue.string("7")) : (key, value) }
        XCTAssertThrowsError(try SummaryDocument(json: .object(textSeed))) { error in
            XCTAssertEqual((error as? SummaryDocument.ReadError)?.description,
                           "not a summary.json: `seed`: expected an integer in the range of UInt64, found a string")
        }
        let fractionalCount = members.map { key, value in
            key == "requests" ? (key, JSONValue.object([("completed", .double(2.5)), ("dropped", .int(0))])) : (key, value)
        }
        XCTAssertThrowsError(try SummaryDocument(json: .object(fractionalCount))) { error in
            XCTAssertEqual((error as? SummaryDocument.ReadError)?.description,
                           "not a summary.json: `requests.completed`: expected an integer in the range of Int, found a number")
        }
    }

    /// Optional figures written as `null` and optional blocks read back as nil; an unstable
    /// run's `outcome` and `instability` survive the trip.
    func testOptionalBlocksRoundTrip() throws {
        var document = minimal()
        document.latency = .init(mean: 0.1, p50: nil, ci95: [0.09, 0.11])
        document.outcome = SummaryDocument.unstableOutcome
        document.instability = try JSONValueDecoder.decode(SummaryDocument.InstabilityBlock.self, from: JSONValue.parse("""
            {"criterion": "growth", "message": "m", "replication": 0, "unstable_replications": 1, "stopped_at_s": 2.0,
             "during_warmup": false, "saturated": null, "requests_in_flight": 5, "pending_events": 6, "limit": 7,
             "in_flight": {"t_s": [1.0, 2.0], "requests": [3, 4]}, "lower_bounds": ["latency_s"]}
            """))
        let text = document.json.rendered()
        XCTAssertTrue(text.contains("\"saturated\": null"), text)
        XCTAssertTrue(text.contains("\"p50\": null"), text)
        let back = try SummaryDocument(json: JSONValue.parse(text))
        XCTAssertEqual(back, document)
        XCTAssertEqual(back.json.rendered(), text)
    }
}
