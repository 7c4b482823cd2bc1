// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim calibrate --overhead-family empirical`: the fragment points to the protocol
/// costs' samples files beside it, and a scenario that includes it runs with their means.
final class OverheadFamilyCommandTests: XCTestCase {
    /// 600 REST calls of one size (so no per-byte part: codec time unlimited), 50 ms apart at
    /// offered_rps 20: handler time 4 ms + 0.5 ms · (i mod 5), overhead 1.5 ms + 0.4 ms · u_i, of
    /// which 0.2 ms + 0.2 ms · v_i before the handler (u, v from a Weyl sequence: deterministic).
    private func writeRecords(to path: String) throws {
        var text = "request_id,config,protocol,offered_rps,send_ns,server_receive_ns,handler_start_ns,handler_end_ns,response_ns,request_bytes,response_bytes,status\n"
        for i in 0..<600 {
            let u = (Double(i) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
            let v = (Double(i) * 0.414_213_562_37).truncatingRemainder(dividingBy: 1)
            let send = Int64(1_000_000_000) + Int64(i) * 50_000_000
            let service = Int64(4_000_000 + 500_000 * (i % 5))
            let overhead = Int64(1_500_000 + 400_000 * u)
            let server = Int64(200_000 + 200_000 * v)
            let start = send + 1_000_000
            text += "\(i),single,rest,20,\(send),\(start - server),\(start),\(start + service),\(send + overhead + service),1000,500,ok\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    private func samplesMean(_ path: String) throws -> Double {
        let values = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { try XCTUnwrap(Double(String($0))) }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The run's mean `serialization` (callOverhead: the only protocol delay, no codec time) is
    /// the overhead samples' mean, and its mean `service` the fitted service time's plus the
    /// serverWork samples' mean. 80,000 measured requests: the overhead's sd is 0.4 ms/√12 =
    /// 115 us, standard error 0.4 us, tolerance 2 us; the service time's sd is about 0.7 ms,
    /// standard error 2.5 us, tolerance 12 us (fixed seed).
    func testEmpiricalProtocolCostsAreWrittenAndRunWithTheirMeans() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        try writeRecords(to: directory + "/records.csv")
        let out = directory + "/cal"
        let calibrate = try BinaryRunner.run(["calibrate", directory + "/records.csv", "--model", "m", "--server-work",
                                              "--overhead-family", "empirical", "--out", out])
        XCTAssertEqual(calibrate.status, 0, calibrate.stderr)
        let overheadMean = try samplesMean(out + "/overhead-samples.csv")
        let serverWorkMean = try samplesMean(out + "/server-work-samples.csv")
        let document = try json(out + "/calibration.json")
        let rest = try XCTUnwrap((document["protocols"] as? [[String: Any]])?.first)
        let measured = try XCTUnwrap(rest["mean_overhead_s"] as? Double) + serverWorkMean
        // The measured overhead's mean, from the records: 1.5 ms + 0.4 ms · mean(u).
        var nanoseconds: [Double] = []
        for i in 0..<600 {
            let u = (Double(i) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
            nanoseconds.append(Double(Int64(1_500_000 + 400_000 * u)))
        }
        let expected = nanoseconds.reduce(0, +) / 600 / 1e9
        XCTAssertEqual(overheadMean + serverWorkMean, expected, accuracy: 1e-12 * expected)
        XCTAssertEqual(measured, expected, accuracy: 1e-12 * expected)
        XCTAssertEqual((rest["call_overhead"] as? [String: Any])?["samples_file"] as? String, "overhead-samples.csv")
        XCTAssertEqual((rest["server_work"] as? [String: Any])?["samples_file"] as? String, "server-work-samples.csv")
        let service = try XCTUnwrap(document["service_time"] as? [String: Any])
        let candidates = try XCTUnwrap(service["candidates"] as? [[String: Any]])
        let chosen = try XCTUnwrap(candidates.first { $0["family"] as? String == service["chosen"] as? String })
        let serviceMean = try XCTUnwrap(chosen["mean_s"] as? Double)

        let scenario = directory + "/scenario.yaml"
        try """
            name: calibrated-protocol
            seed: 5
            include: [cal/fragment.yaml]
            run: {requests: 40000, warmupRequests: 1000, replications: 2}
            nodes: {c: {kind: client}, s: {kind: server, workers: 1}}
            deployment: {kind: single, model: m, on: s, via: rest}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 20/s}, payload: 1000B}

            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let run = try BinaryRunner.run(["run", scenario, "--out", directory + "/run", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let breakdown = try XCTUnwrap((try json(directory + "/run/summary.json"))["breakdown_s"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(breakdown["serialization"] as? Double), overheadMean, accuracy: 2e-6, "\(breakdown)")
        XCTAssertEqual(try XCTUnwrap(breakdown["service"] as? Double), serviceMean + serverWorkMean, accuracy: 12e-6, "\(breakdown)")
    }

    /// The reasons and hints name the options as the command spells them (the library takes
    /// the names from the command: `Calibration.OptionNames`), word for word as before they moved.
    func testReasonsAndHintsNameTheCommandsOptions() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/records.csv"
        try writeRecords(to: file)
        let out = directory + "/cal"
        let calibrate = try BinaryRunner.run(["calibrate", file, "--model", "m", "--server-work", "--family", "gamma",
                                              "--overhead-family", "gamma", "--out", out])
        XCTAssertEqual(calibrate.status, 0, calibrate.stderr)
        XCTAssertTrue(calibrate.stdout.contains("choice: gamma: asked for with --family; KS D = "), calibrate.stdout)
        let document = try json(out + "/calibration.json")
        let rest = try XCTUnwrap((document["protocols"] as? [[String: Any]])?.first)
        let reason = try XCTUnwrap((rest["call_overhead"] as? [String: Any])?["reason"] as? String)
        XCTAssertTrue(reason.hasPrefix("gamma: asked for with --overhead-family; KS D = "), reason)

        var zeros = "t_ms\n"
        for i in 0..<40 { zeros += "\(i % 4)\n" }  // a 0 ms sample, which a lognormal cannot take
        try zeros.write(toFile: directory + "/zeros.csv", atomically: true, encoding: .utf8)
        let lognormal = try BinaryRunner.run(["calibrate", directory + "/zeros.csv", "--column", "t_ms", "--family", "lognormal",
                                              "--out", directory + "/bad"])
        XCTAssertEqual(lognormal.status, 2)
        XCTAssertTrue(lognormal.stderr.contains("error: cannot fit column `t_ms`: "), lognormal.stderr)
        XCTAssertTrue(lognormal.stderr.hasSuffix("; hint: try another --family\n"), lognormal.stderr)
    }

    /// An unknown family is refused by the option's validation; too few calls for the family,
    /// and the option on a plain column, exit 2 with a located error and write nothing.
    func testRefusals() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/records.csv"
        try writeRecords(to: file)
        let unknown = try BinaryRunner.run(["calibrate", file, "--overhead-family", "normal", "--out", directory + "/bad"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--overhead-family must be one of exponential, gamma"), unknown.stderr)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").prefix(21)
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/few.csv", atomically: true, encoding: .utf8)
        let few = try BinaryRunner.run(["calibrate", directory + "/few.csv", "--overhead-family", "empirical", "--out", directory + "/bad"])
        XCTAssertEqual(few.status, 2)
        XCTAssertTrue(few.stderr.hasPrefix(directory + "/few.csv:1:1: error: too few samples: `empirical` needs at least 30, the `rest` overheads at offered_rps 20 has 20"), few.stderr)
        try "handler_ms\n4.1\n4.2\n".write(toFile: directory + "/column.csv", atomically: true, encoding: .utf8)
        let column = try BinaryRunner.run(["calibrate", directory + "/column.csv", "--column", "handler_ms", "--overhead-family", "gamma",
                                           "--out", directory + "/bad"])
        XCTAssertEqual(column.status, 2)
        XCTAssertTrue(column.stderr.hasPrefix(directory + "/column.csv:1:1: error: --overhead-family needs the testbed's records"), column.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/bad"), "no result folder after an error")
    }
}
