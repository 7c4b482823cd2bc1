// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Scenarios
import XCTest

/// The limits of docs/scenario-format.md that keep a run inside the engine's clock and its
/// counters inside their integers: each value used to pass `validate` and then trap, run away
/// or fail without a location in `run`; now each is refused at its key (issue 18, items 4–9).
final class RangeLimitTests: XCTestCase {
    private let base = """
        name: r
        run: {requests: 10}
        models:
          m: {serviceTime: 1ms}
        nodes:
          a: {kind: edge}
          s: {kind: server}
        links:
          - {between: [a, s], latency: 1ms}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, from: a, arrivals: {process: poisson, rate: 1/s}}

        """

    /// The rendered diagnostics of loading `yaml` with `overrides` (empty when it loads).
    private func problems(_ yaml: String? = nil, _ overrides: [String] = []) -> [String] {
        do {
            _ = try ScenarioLoader.load(yaml: yaml ?? base, file: "r.yaml", overrides: overrides)
            return []
        } catch {
            return error.diagnostics.map(\.rendered)
        }
    }

    /// Asserts exactly one diagnostic, at `location` (`file:line:col`), naming `path`, saying `text`.
    private func assertRefused(_ rendered: [String], at location: String, path: String, saying text: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(rendered.count, 1, "\(rendered)", file: file, line: line)
        guard let first = rendered.first else { return }
        XCTAssertTrue(first.hasPrefix("\(location): error: \(path): "), first, file: file, line: line)
        XCTAssertTrue(first.contains(text), first, file: file, line: line)
    }

    /// A time is at most 1e9 s wherever it is written: a key, a distribution parameter, a link
    /// latency, the run's duration. 1e9 s itself is accepted.
    func testTimesBeyondTheClockAreRefusedWhereWritten() {
        let beyond = "beyond the simulation clock: a time is at most 1e9 s"
        assertRefused(problems(nil, ["models.m.serviceTime=1e308s"]), at: "--set:1:22", path: "models.m.serviceTime",
                      saying: "`1e308s` is " + beyond)
        assertRefused(problems(base.replacingOccurrences(of: "{serviceTime: 1ms}",
                                                         with: "{serviceTime: {dist: exponential, mean: 1e308s}}")),
                      at: "r.yaml:4:46", path: "models.m.serviceTime.mean", saying: beyond)
        assertRefused(problems(base.replacingOccurrences(of: "latency: 1ms", with: "latency: 1e10s")),
                      at: "r.yaml:9:32", path: "links.0.latency", saying: beyond)
        assertRefused(problems(base.replacingOccurrences(of: "requests: 10", with: "duration: 1e308s")),
                      at: "r.yaml:2:17", path: "run.duration", saying: beyond)
        assertRefused(problems(nil, ["models.m.serviceTime=1000000001s"]), at: "--set:1:22", path: "models.m.serviceTime",
                      saying: beyond)
        XCTAssertEqual(problems(nil, ["models.m.serviceTime=1e9s", "links.0.latency=277777h"]), [])
    }

    /// Request counts are at most 10¹⁵ (`Int64.max` used to trap in the timeline's length).
    func testRequestCountsAreBounded() {
        assertRefused(problems(nil, ["run.warmupRequests=9223372036854775807"]), at: "--set:1:20",
                      path: "run.warmupRequests", saying: "out of range: must be from 0 to 1000000000000000")
        assertRefused(problems(nil, ["run.requests=1000000000000001"]), at: "--set:1:14",
                      path: "run.requests", saying: "out of range: must be from 1 to 1000000000000000")
    }

    /// A run expected to last past the clock — requests ÷ rate, or warm-up + duration — is
    /// refused at `requests` or `duration`: 3 000 000 requests at 1/h take 3·10⁶ h = 1.08·10¹⁰ s.
    func testRunsExpectedToPassTheClockAreRefused() {
        let tooLong = "more than the engine's clock limit of 1e9 s"
        assertRefused(problems(nil, ["workload.0.arrivals.rate=1/h", "run.requests=3000000"]), at: "--set:2:14",
                      path: "run.requests", saying: "about 10800000000 s of simulated time")
        assertRefused(problems(nil, ["workload.0.arrivals.rate=1e-9/s"]), at: "r.yaml:2:17", path: "run.requests",
                      saying: tooLong)
        assertRefused(problems(base.replacingOccurrences(of: "requests: 10", with: "duration: 9e8s, warmup: 2e8s")),
                      at: "r.yaml:2:17", path: "run.duration", saying: tooLong)
        // 10 requests at 1e-8/s: 10⁹ s exactly, at the limit.
        XCTAssertEqual(problems(nil, ["workload.0.arrivals.rate=1e-8/s"]), [])
    }

    /// fps × segment frames must fit the simulator's frame count (it trapped converting
    /// 10¹² frames to an integer).
    func testVideoFramesPerSegmentAreBounded() {
        let video = base.replacingOccurrences(of: "{kind: image, from: a, arrivals: {process: poisson, rate: 1/s}}",
                                              with: "{kind: video, from: a, streams: 1, fps: 1000000000, segment: 1000s}")
        assertRefused(problems(video), at: "r.yaml:12:45", path: "workload.0.fps",
                      saying: "fps × segment = 1000000000000 frames per segment: at most 2147483647")
        XCTAssertEqual(problems(video.replacingOccurrences(of: "segment: 1000s", with: "segment: 2s")), [])
    }

    /// The longest retry wait, backoff × backoffMultiplier^(retries − 1), is at most 1e9 s; the
    /// default 100 ms × 2 allows 34 retries.
    func testRetryBackoffIsBounded() {
        let protocols = base + "protocols:\n  rest: {timeout: 1s, retries: 3, backoffMultiplier: 1e300}\n"
        assertRefused(problems(protocols), at: "r.yaml:14:35", path: "protocols.rest.backoffMultiplier",
                      saying: "the last retry would wait backoff × backoffMultiplier^(retries − 1) = inf s")
        let retries = base + "protocols:\n  rest: {timeout: 1s, retries: 35}\n"
        assertRefused(problems(retries), at: "r.yaml:14:23", path: "protocols.rest.retries",
                      saying: "more than the engine's clock limit")
        XCTAssertEqual(problems(base + "protocols:\n  rest: {timeout: 1s, retries: 34}\n"), [])
    }

    /// `mmpp` states last on average at least 1 µs (the simulator refused 1 ns without a
    /// location).
    func testMMPPStatesLastAtLeastOneMicrosecond() {
        let mmpp = base.replacingOccurrences(
            of: "{process: poisson, rate: 1/s}",
            with: "{process: mmpp, states: [{rate: 10/s, meanDuration: 1ns}, {rate: 1/s, meanDuration: 1us}]}")
        assertRefused(problems(mmpp), at: "r.yaml:12:90", path: "workload.0.arrivals.states.0.meanDuration",
                      saying: "`1ns` is too short: a state lasts on average at least 1us")
    }

    /// A trace must end after time 0 (it repeats shifted by its last time); the error points at
    /// the CSV's last row. A trace ending at 1 ns loads.
    func testATraceEndingAtZeroIsRefusedAtItsLastRow() throws {
        let folder = NSTemporaryDirectory() + "hybridsim-range-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenario = folder + "/t.yaml"
        try base.replacingOccurrences(of: "{process: poisson, rate: 1/s}", with: "{process: trace, file: t.csv}")
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        try "s\n0\n0\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioLoader.load(path: scenario)) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 1, "\(rendered)")
            XCTAssertTrue(rendered.first?.hasPrefix(folder + "/t.csv:3:1: error: the last arrival time is `0`: a trace must end after time 0") == true,
                          "\(rendered)")
        }
        try "s\n0\n1e-9\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try ScenarioLoader.load(path: scenario))
    }

    /// At most 10 000 replications: every replication's result is held until the run ends
    /// (1 000 000 of `requests: 1` used 7.6 GB).
    func testReplicationsAreBounded() {
        assertRefused(problems(nil, ["run.replications=1000000"]), at: "--set:1:18", path: "run.replications",
                      saying: "out of range: must be from 1 to 10000")
        XCTAssertEqual(problems(nil, ["run.replications=10000"]), [])
    }
}
