// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// Seeded property test of the documented ranges (issue 18): for numeric keys of the scenario
/// schema, values at and beyond each bound, plus seeded random ones inside and outside, must be
/// either refused by `hybridsim validate` or simulated to completion by `hybridsim run`:
///
///     refused by validate  ⇔  `run` exits 2 (the same refusal)
///     accepted             ⇒  `run` exits 0 within the budget, or 4 with `outcome: unstable`
///                              in summary.json and manifest.json (an overloaded system,
///                              stopped early: docs/engine.md, "Stability detection")
///
/// **Budget.** Each run is a subprocess started as `sh -c 'ulimit -v 2000000; exec timeout 10
/// hybridsim run …'`: at most 2 GB of address space and 10 s of wall time, so a runaway run
/// fails its case (exit 124 or a crash) instead of hanging the suite. The scenarios are tiny
/// (`run.duration: 1s` at 1 arrival/s, or `run.requests: 1`), so every accepted case needs a
/// few hundred events; values whose run is legitimately long in wall time (10¹⁵ requests, 10⁴
/// replications) are checked by `validate` only (`runUpTo`). `run` goes through the same loader
/// as `validate`, so only the first refused value of each key is also given to `run` (keeping
/// the test near 30 s on a loaded 2-core machine).
///
/// **Overload.** Two keys run in a run by `requests` with a 1 s service on two workers or with
/// the service time itself varied: rates above 2/s and service times above 2 s overload the
/// node, and before the stability detection such runs kept generating arrivals until their one
/// request completed (10⁹ arrivals, gigabytes). They must now stop as unstable within the
/// budget, and the test checks that some do.
final class RangePropertyTests: XCTestCase {
    /// The kind of a key's values and its documented bounds.
    enum Kind {
        /// An integer from `low` to `high` (inclusive).
        case integer(low: Int, high: Int)
        /// A plain number with optional bounds (open or closed).
        case number(low: Double?, lowOpen: Bool, high: Double?, highOpen: Bool)
        /// A time, > 0 (`positive`) or ≥ 0, at most the clock limit of 1e9 s.
        case time(positive: Bool)
        /// A rate, > 0 and at most 1e9/s.
        case rate
        /// A size ≥ 0 (`positive`: > 0), no upper bound.
        case size(positive: Bool)
        /// A bandwidth > 0, no upper bound.
        case bandwidth
    }

    /// One key: its `--set` path, kind, base scenario and extra overrides that give it a context.
    struct Key {
        var path: String
        var kind: Kind
        var base = "link"
        var context: [String] = []
        /// Integer values above this are checked with `validate` only (long but legitimate runs).
        var runUpTo = Int.max
    }

    static let keys: [Key] = [
        // run: rate 1e-6/s so that a run near the clock limit holds about a thousand arrivals.
        Key(path: "run.requests", kind: .integer(low: 1, high: 1_000_000_000_000_000), base: "plain",
            context: ["workload.0.arrivals.rate=1e-6/s"], runUpTo: 1000),
        Key(path: "run.warmupRequests", kind: .integer(low: 0, high: 1_000_000_000_000_000), base: "plain",
            context: ["workload.0.arrivals.rate=1e-6/s"], runUpTo: 1000),
        Key(path: "run.replications", kind: .integer(low: 1, high: 10_000), runUpTo: 20),
        Key(path: "run.duration", kind: .time(positive: true), context: ["workload.0.arrivals.rate=1e-6/s"]),
        Key(path: "run.warmup", kind: .time(positive: false), context: ["workload.0.arrivals.rate=1e-6/s"]),
        // models and nodes
        Key(path: "models.m.serviceTime", kind: .time(positive: false)),
        Key(path: "models.m.serviceTime.mean", kind: .time(positive: true), context: ["models.m.serviceTime.dist=exponential"]),
        Key(path: "models.m.output", kind: .size(positive: false)),
        Key(path: "nodes.s.workers", kind: .integer(low: 1, high: 100_000)),
        // links
        Key(path: "links.0.latency", kind: .time(positive: false)),
        Key(path: "links.0.latency", kind: .time(positive: false), context: ["protocols.rest.setupRoundTrips=10"]),
        Key(path: "links.0.jitter", kind: .time(positive: false)),
        Key(path: "links.0.bandwidth", kind: .bandwidth),
        Key(path: "links.0.loss", kind: .number(low: 0, lowOpen: false, high: 0.99, highOpen: false)),
        // workload
        Key(path: "workload.0.arrivals.rate", kind: .rate, base: "plain"),
        // overload in runs by requests (see the type's comment)
        Key(path: "workload.0.arrivals.rate", kind: .rate, base: "plain", context: ["models.m.serviceTime=1s"]),
        Key(path: "models.m.serviceTime", kind: .time(positive: false), base: "plain"),
        Key(path: "workload.0.payload", kind: .size(positive: false)),
        Key(path: "workload.0.arrivals.states.0.meanDuration", kind: .time(positive: true), base: "mmpp"),
        Key(path: "workload.0.arrivals.states.1.rate", kind: .rate, base: "mmpp"),
        Key(path: "workload.0.fps", kind: .number(low: 0, lowOpen: true, high: nil, highOpen: false), base: "video"),
        Key(path: "workload.0.segment", kind: .time(positive: true), base: "video"),
        Key(path: "workload.0.streams", kind: .integer(low: 1, high: 100_000), base: "video", runUpTo: 1000),
        // protocols (the base has `rest: {timeout: 1s}`)
        Key(path: "protocols.rest.timeout", kind: .time(positive: true)),
        Key(path: "protocols.rest.retries", kind: .integer(low: 0, high: 100)),
        Key(path: "protocols.rest.backoff", kind: .time(positive: false), context: ["protocols.rest.retries=3"]),
        Key(path: "protocols.rest.backoffMultiplier", kind: .number(low: 1, lowOpen: false, high: nil, highOpen: false),
            context: ["protocols.rest.retries=3"]),
        Key(path: "protocols.rest.payloadInflation", kind: .number(low: 1, lowOpen: false, high: nil, highOpen: false)),
        Key(path: "protocols.rest.setupRoundTrips", kind: .integer(low: 0, high: 10)),
        Key(path: "protocols.rest.requestOverhead", kind: .size(positive: false)),
        Key(path: "protocols.rest.codecThroughput", kind: .bandwidth),
        Key(path: "protocols.rest.callOverhead", kind: .time(positive: false)),
        Key(path: "protocols.rest.poolSize", kind: .integer(low: 1, high: 100_000)),
        Key(path: "protocols.rest.idleTimeout", kind: .time(positive: true), context: ["protocols.rest.poolSize=2"]),
    ]

    /// The base scenarios: one model on a server, called over one link by an edge source.
    static let bases: [String: String] = [
        "link": """
            name: ranges
            seed: 3
            run: {duration: 1s}
            models:
              m: {serviceTime: 1ms, output: 1KB}
            nodes:
              a: {kind: edge}
              s: {kind: server, workers: 2}
            links:
              - {between: [a, s], latency: 1ms, bandwidth: 1Gbps}
            deployment: {kind: single, model: m, on: s, via: rest}
            workload:
              - {kind: image, from: a, arrivals: {process: poisson, rate: 1/s}, payload: 10KB}
            protocols:
              rest: {timeout: 1s}

            """,
        "plain": """
            name: ranges
            seed: 3
            run: {requests: 1}
            models:
              m: {serviceTime: 1ns}
            nodes:
              s: {kind: server, workers: 2}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 1/s}}

            """,
        "mmpp": """
            name: ranges
            seed: 3
            run: {requests: 1}
            models:
              m: {serviceTime: 1ms}
            nodes:
              s: {kind: server}
            deployment: {kind: single, model: m, on: s}
            workload:
              - kind: image
                arrivals: {process: mmpp, states: [{rate: 2/s, meanDuration: 1s}, {rate: 1/s, meanDuration: 1s}]}

            """,
        "video": """
            name: ranges
            seed: 3
            run: {requests: 1}
            models:
              m: {serviceTime: 1us}
            nodes:
              s: {kind: server}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: video, streams: 1, fps: 25, segment: 1s}

            """,
    ]

    /// SplitMix64: the test's own seeded generator (no system randomness).
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        /// Log-uniform in [low, high] (both > 0).
        mutating func logUniform(_ low: Double, _ high: Double) -> Double {
            exp(log(low) + unit() * (log(high) - log(low)))
        }
    }

    /// Values at and just beyond each bound, and two seeded random ones (one inside, one
    /// outside when there is an outside).
    static func values(for kind: Kind, random: inout SplitMix64) -> [String] {
        func g(_ x: Double) -> String { String(format: "%.17g", x) }
        switch kind {
        case .integer(let low, let high):
            let inside = low + Int(random.unit() * Double(min(high - low, 1_000_000)))
            return ["\(low - 1)", "\(low)", "\(inside)", "\(high)", "\(Int128(high) + 1)", "99999999999999999999"]
        case .number(let low, let lowOpen, let high, let highOpen):
            var list: [String] = ["-1e300", "1e300"]
            if let low { list += [g(low), g(low - max(abs(low), 1) * 1e-9), g(low + 1e-9)] }
            if let high { list += [g(high), g(high + 1e-9), g(high - 1e-9)] }
            let from = low ?? 0, to = high ?? 1e6
            list.append(g(from + random.unit() * (to - from) + (lowOpen || highOpen ? 1e-12 : 0)))
            return list
        case .time:
            return ["-1s", "0s", "1ns", "1e9s", "277777h", "1000000001s", "1e308s", g(random.logUniform(1e-9, 1e9)) + "s",
                    g(random.logUniform(1.0000001e9, 1e300)) + "s"]
        case .rate:
            return ["0/s", "1e-300/s", "1e-6/s", "1e9/s", "1000000001/s", g(random.logUniform(1e-6, 1e3)) + "/s",
                    g(random.logUniform(1.0000001e9, 1e300)) + "/s"]
        case .size:
            return ["-1B", "0B", "1B", "1TB", "1e300B", g(random.logUniform(1, 1e9)) + "B"]
        case .bandwidth:
            return ["0bps", "1bps", "1e300bps", g(random.logUniform(1e3, 1e12)) + "bps"]
        }
    }

    /// `hybridsim run` of `scenario` with `overrides`, within the budget (see the type's comment).
    static func budgetedRun(_ scenario: String, _ overrides: [String], out: String) throws -> BinaryRunner.Output {
        let binary = BinaryRunner.productsDirectory.appendingPathComponent("hybridsim").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 2000000; exec timeout 10 \"$0\" \"$@\"", binary, "run", scenario,
                             "--out", out, "--force", "--jobs", "1"] + overrides.flatMap { ["--set", $0] }
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRunner.Output(status: process.terminationStatus, stdout: "",
                                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testValidateAndRunAgreeAtAndBeyondEveryBound() throws {
        let folder = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in Self.bases {
            try text.write(toFile: "\(folder)/\(name).yaml", atomically: true, encoding: .utf8)
        }
        var random = SplitMix64(state: 18)
        var cases = 0, accepted = 0, unstable = 0
        for key in Self.keys {
            let scenario = "\(folder)/\(key.base).yaml"
            var refusedRun = false
            for value in Self.values(for: key.kind, random: &random) {
                let overrides = key.context + ["\(key.path)=\(value)"]
                let validate = try BinaryRunner.run(["validate", scenario] + overrides.flatMap { ["--set", $0] })
                XCTAssertTrue([0, 2].contains(validate.status), "\(key.path)=\(value): validate exited \(validate.status)")
                let loads = validate.status == 0
                cases += 1
                if loads, let count = Int(value), count > key.runUpTo { continue }
                // `run` refuses through the same loader: one refused value per key shows it.
                if !loads && refusedRun { continue }
                refusedRun = refusedRun || !loads
                let run = try Self.budgetedRun(scenario, overrides, out: "\(folder)/out")
                let tail = run.stderr.suffix(400)
                if loads {
                    accepted += 1
                    if run.status == 4 {
                        unstable += 1
                        XCTAssertTrue(Self.outcome(of: "\(folder)/out") == ["unstable", "unstable"],
                                      "\(key.path)=\(value) exited 4 without `outcome: unstable`: \(tail)")
                    } else {
                        XCTAssertEqual(run.status, 0, "\(key.path)=\(value) loads, but its run failed: \(tail)")
                    }
                } else {
                    XCTAssertEqual(run.status, 2, "\(key.path)=\(value) is refused, but its run exited \(run.status): \(tail)")
                    XCTAssertTrue(run.stderr.contains("error: "), "\(key.path)=\(value): \(tail)")
                }
            }
        }
        // The generator covers both sides: a test where everything loads (or nothing does)
        // would check nothing.
        XCTAssertGreaterThan(accepted, cases / 4)
        XCTAssertLessThan(accepted, cases * 3 / 4)
        // The overload keys reach unstable systems (a test that never overloads checks nothing).
        XCTAssertGreaterThanOrEqual(unstable, 3)
    }

    /// `outcome` of the folder's summary.json and manifest.json (nil where absent).
    static func outcome(of folder: String) -> [String?] {
        ["summary.json", "manifest.json"].map { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return object["outcome"] as? String
        }
    }
}
