// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim calibrate` end to end: testbed records in, a fragment that a scenario includes,
/// validates and runs with the fitted mean; bad input exits 2 with a located error.
final class CalibrateCommandTests: XCTestCase {
    /// SplitMix64 (fixed seed): the test's own deterministic source of uniforms in (0, 1).
    private struct SplitMix {
        var state: UInt64
        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992
        }
    }

    /// 600 testbed records of one config over REST at one load: handler times `floor` plus a
    /// lognormal (median 4 ms, σ = 0.35), overhead 1.5 ms + 3 ns per byte + up to 0.1 ms of noise.
    private func writeRecords(to path: String, floor: Double = 0) throws {
        var random = SplitMix(state: 42)
        var text = "request_id,config,protocol,offered_rps,send_ns,server_receive_ns,handler_start_ns,handler_end_ns,response_ns,request_bytes,response_bytes,status\n"
        var send: Int64 = 1_000_000_000
        for i in 0..<600 {
            let z = (-2 * log(random.uniform())).squareRoot() * cos(2 * .pi * random.uniform())
            let service = Int64((floor + 0.004 * exp(0.35 * z)) * 1e9)
            let bytes = Int64(10_000 + random.uniform() * 190_000)
            let overhead = Int64(1_500_000 + 3 * Double(bytes) + random.uniform() * 100_000)
            let start = send + overhead / 2
            text += "\(i),single,rest,20,\(send),\(start - 20_000),\(start),\(start + service),\(send + overhead + service),\(bytes - 500),500,ok\n"
            send += 50_000_000
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Validates and runs a one-worker scenario that includes `cal/fragment.yaml` (model `m`,
    /// Poisson 20/s, 2 × 40,000 requests, seed 5) and returns its mean latency and mean wait.
    private func runFragment(in directory: String) throws -> (latency: Double, wait: Double) {
        let scenario = directory + "/scenario.yaml"
        try """
            name: calibrated
            seed: 5
            include: [cal/fragment.yaml]
            run: {requests: 40000, warmupRequests: 1000, replications: 2}
            nodes: {s: {kind: server, workers: 1}}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 20/s}}

            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let validate = try BinaryRunner.run(["validate", scenario])
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        let run = try BinaryRunner.run(["run", scenario, "--out", directory + "/run", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try json(directory + "/run/summary.json")
        return (try XCTUnwrap((summary["latency_s"] as? [String: Any])?["mean"] as? Double),
                try XCTUnwrap((summary["wait_s"] as? [String: Any])?["mean"] as? Double))
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testCalibratedFragmentValidatesAndRunsWithTheFittedMean() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        try writeRecords(to: directory + "/records.csv")
        let out = directory + "/cal"
        let calibrate = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--model", "m", "--out", out])
        XCTAssertEqual(calibrate.status, 0, calibrate.stderr)
        // Lognormal data: shifted-gamma's AIC is lower by 0.34 (noise, within 2), so parsimony
        // keeps the two-parameter lognormal.
        for text in ["family", "lognormal *", "choice: lognormal: fewest parameters (2) within 2 AIC of the lowest (shifted-gamma",
                     "protocol rest: mean overhead", "fragment.yaml"] {
            XCTAssertTrue(calibrate.stdout.contains(text), "\(text) in\n\(calibrate.stdout)")
        }
        let document = try json(out + "/calibration.json")
        let service = try XCTUnwrap(document["service_time"] as? [String: Any])
        let candidates = try XCTUnwrap(service["candidates"] as? [[String: Any]])
        XCTAssertEqual(candidates.map { $0["family"] as? String }, ["exponential", "gamma", "lognormal", "weibull", "shifted-exponential",
                                                                   "shifted-gamma", "shifted-lognormal", "shifted-weibull"])
        for candidate in candidates {
            for key in ["parameters", "mean_s", "log_likelihood", "aic", "ks_statistic", "ks_p_value"] {
                XCTAssertNotNil(candidate[key], "\(key) of \(candidate["family"] ?? "?")")
            }
        }
        let chosen = try XCTUnwrap(candidates.first { $0["family"] as? String == "lognormal" })
        let fittedMean = try XCTUnwrap(chosen["mean_s"] as? Double)
        let protocols = try XCTUnwrap(document["protocols"] as? [[String: Any]])
        // Fixed 1.5 ms + half the 0.1 ms uniform noise; per byte 3 ns. The noise has sd
        // 0.1 ms/√12 = 29 us over 600 calls: the intercept's SE is a few us, tolerance 30 us.
        XCTAssertEqual(try XCTUnwrap(protocols.first?["fixed_s"] as? Double), 1.55e-3, accuracy: 30e-6)
        XCTAssertEqual(try XCTUnwrap(protocols.first?["per_byte_s"] as? Double), 3e-9, accuracy: 0.1e-9)

        let fragment = try String(contentsOfFile: out + "/fragment.yaml", encoding: .utf8)
        XCTAssertTrue(fragment.contains("serviceTime: {dist: lognormal, mean: "), fragment)
        // The per-byte slope is identifiable (190 KB of spread in the calls' bytes): callOverhead
        // is fitted to each call's fixed part O − 3 ns · B (mean 1.55 ms, same tolerance as the
        // intercept) and the slope is the codec time, 8 bits / 3 ns = 2.667 Gbps (within 3 %,
        // the slope's tolerance above).
        let rest = try XCTUnwrap(protocols.first)
        let callOverhead = try XCTUnwrap(rest["call_overhead"] as? [String: Any])
        XCTAssertEqual(callOverhead["fitted_to"] as? String, "fixed_part")
        XCTAssertEqual(try XCTUnwrap(callOverhead["mean_s"] as? Double), 1.55e-3, accuracy: 30e-6)
        let keys = try XCTUnwrap(rest["scenario_keys"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(keys["codecThroughput_bps"] as? Double), 8 / 3e-9, accuracy: 0.034 * 8 / 3e-9)
        XCTAssertEqual(keys["requestOverhead_bytes"] as? Double, 0)
        XCTAssertTrue(fragment.contains("protocols:\n  rest: {callOverhead: "), fragment)
        XCTAssertTrue(fragment.contains("requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: "), fragment)
        XCTAssertFalse(fragment.contains("codecThroughput: unlimited"), fragment)

        let (latency, wait) = try runFragment(in: directory)
        // Service time per request = latency − wait (one station, no network). Its mean over
        // 80,000 measured requests has a relative standard error cv/√80000 ≤ 0.4/283 = 0.14 %
        // (cv of the fit ≈ 0.36): tolerance 0.6 %, more than 4 standard errors (fixed seed).
        XCTAssertEqual(latency - wait, fittedMean, accuracy: 0.006 * fittedMean)

        let report = try BinaryRunner.run(["report", out])
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for part in ["data-chart=\"calibration-cdf\"", "<path class=\"cdf data\"", "<path class=\"cdf chosen\"",
                     "<path class=\"cdf runner_up\"", "lognormal: fewest parameters"] {
            XCTAssertTrue(html.contains(part), part)
        }
    }

    /// Handler times with a hard floor of 3 ms under the lognormal: a shifted family wins by far
    /// more than 2 AIC, the fragment writes it with `shift:` (below the smallest sample), and a
    /// run of the fragment reproduces the fitted mean (80,000 requests, cv of the fit about 0.2:
    /// relative standard error 0.07 %; tolerance 0.6 %, fixed seed).
    func testAShiftedChoiceIsWrittenWithItsShiftAndRunsWithTheFittedMean() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        try writeRecords(to: directory + "/records.csv", floor: 0.003)
        let out = directory + "/cal"
        let calibrate = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--model", "m", "--out", out])
        XCTAssertEqual(calibrate.status, 0, calibrate.stderr)
        let service = try XCTUnwrap(try json(out + "/calibration.json")["service_time"] as? [String: Any])
        let chosen = try XCTUnwrap(service["chosen"] as? String)
        XCTAssertTrue(chosen.hasPrefix("shifted-"), chosen)
        let candidate = try XCTUnwrap((service["candidates"] as? [[String: Any]])?.first { $0["family"] as? String == chosen })
        let fittedMean = try XCTUnwrap(candidate["mean_s"] as? Double)
        let fragment = try String(contentsOfFile: out + "/fragment.yaml", encoding: .utf8)
        XCTAssertTrue(fragment.contains("serviceTime: {dist: \(chosen.dropFirst("shifted-".count)), shift: "), fragment)
        let (latency, wait) = try runFragment(in: directory)
        XCTAssertEqual(latency - wait, fittedMean, accuracy: 0.006 * fittedMean)
    }

    /// `--bootstrap 19`: a bootstrap p-value, a multiple of 1/20, for each family a scenario can
    /// carry (none for shifted ones), and the same bytes from the same seed.
    func testBootstrapPValuesAreStoredAndReproducible() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        try writeRecords(to: directory + "/records.csv")
        var documents: [Data] = []
        for run in 0..<2 {
            let out = directory + "/cal-\(run)"
            let result = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--bootstrap", "19", "--seed", "3", "--out", out])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("bootstrap p = "), result.stdout)
            documents.append(try Data(contentsOf: URL(fileURLWithPath: out + "/calibration.json")))
        }
        XCTAssertEqual(documents[0], documents[1], "same seed, same bytes")
        let service = try XCTUnwrap((try json(directory + "/cal-0/calibration.json"))["service_time"] as? [String: Any])
        for candidate in try XCTUnwrap(service["candidates"] as? [[String: Any]]) {
            let family = try XCTUnwrap(candidate["family"] as? String)
            if family.hasPrefix("shifted-") {
                XCTAssertTrue(candidate["ks_bootstrap_p_value"] is NSNull, family)
            } else {
                let p = try XCTUnwrap(candidate["ks_bootstrap_p_value"] as? Double, family)
                XCTAssertEqual((p * 20).rounded(), p * 20, accuracy: 1e-9, family)
                XCTAssertTrue((0.05...1).contains(p), "\(family): \(p)")
            }
        }
        let bad = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--bootstrap=-1"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--bootstrap must be between 0 and 100000"), bad.stderr)
    }

    /// `--server-work-from busy-gaps` on records where no call ever waited (one every 50 ms,
    /// handlers of about 4 ms) exits 2 with the located "too few busy gaps" and no folder; an
    /// unknown estimator is refused by name.
    func testServerWorkFromBusyGapsNeedsCallsThatWaited() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        try writeRecords(to: directory + "/records.csv")
        let out = directory + "/cal"
        let result = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--server-work-from", "busy-gaps", "--out", out])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix(directory + "/records.csv:1:1: error: too few busy gaps: 0 at offered_rps 20"), result.stderr)
        XCTAssertTrue(result.stderr.contains("; hint: "), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let unknown = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--server-work-from", "gaps"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--server-work-from must be one of receipt, busy-gaps, got `gaps`"), unknown.stderr)
    }

    func testBadMeasurementsExitTwoWithALocatedError() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let cases: [(String, [String], String)] = [
            ("handler_ms\n4.1\n-2\n", ["--column", "handler_ms"], "bad.csv:3:1: error: handler_ms: negative time `-2`"),
            ("handler_ms\n4.1\nnan\n", ["--column", "handler_ms"], "bad.csv:3:1: error: handler_ms: `nan` is not a number"),
            ("handler\n4ms\n4000us\n", ["--column", "handler"], "bad.csv:3:1: error: handler: mixed units"),
            ("handler_ms\n4.1\n", ["--column", "latency_ms"], "bad.csv:1:1: error: no column `latency_ms`"),
            ("handler_ms\n", ["--column", "handler_ms"], "bad.csv:1:1: error: column `handler_ms` has no samples"),
            ("handler_ms\n" + String(repeating: "4.1\n4.3\n", count: 6), ["--column", "handler_ms", "--family", "weibull"],
             "bad.csv:1:1: error: too few samples: `weibull` needs at least 20, column `handler_ms` has 12"),
        ]
        for (text, arguments, expected) in cases {
            let file = directory + "/bad.csv"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let out = directory + "/out-\(arguments.count)-\(expected.count)"
            let result = try BinaryRunner.run(["calibrate", file] + arguments + ["--out", out])
            XCTAssertEqual(result.status, 2, expected)
            XCTAssertTrue(result.stderr.hasPrefix(directory + "/" + expected), "\(expected)\n got \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("; hint: "), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no result folder after an error")
        }
    }

    /// `--overhead-calls idle-found`: the records of `writeRecords` are 50 ms apart and each
    /// answered within 6.5 ms, so every call but the first found the server idle (599 of 600);
    /// an unknown selection and a level the records lack exit 2.
    func testOverheadCallsAndLevelOptions() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/records.csv"
        try writeRecords(to: file)
        let ok = try BinaryRunner.run(["calibrate", file, "--overhead-calls", "idle-found", "--out", directory + "/idle"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let calls = try XCTUnwrap(((try json(directory + "/idle/calibration.json"))["protocols"] as? [[String: Any]])?.first?["overhead_calls"] as? [String: Any])
        XCTAssertEqual(calls["selection"] as? String, "idle-found")
        XCTAssertEqual(calls["level_count"] as? Int, 600)
        XCTAssertEqual(calls["used_count"] as? Int, 599)

        let unknown = try BinaryRunner.run(["calibrate", file, "--overhead-calls", "idle", "--out", directory + "/bad"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--overhead-calls must be one of all, idle-found"), unknown.stderr)
        let level = try BinaryRunner.run(["calibrate", file, "--overhead-level", "30", "--out", directory + "/bad"])
        XCTAssertEqual(level.status, 2)
        XCTAssertTrue(level.stderr.hasPrefix(file + ":1:28: error: offered_rps: no `rest` records at offered_rps 30"), level.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/bad"), "no result folder after an error")
    }
}
