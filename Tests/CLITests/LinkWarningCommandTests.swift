// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// The overloaded-link warning and link outages as a user meets them: `validate` and `run`
/// of the built binary.
final class LinkWarningCommandTests: XCTestCase {
    /// c → s carries 10/s · 8 · (150,000 + 60) B = 12.0048 Mbit/s on 10 Mbps: ρ = 1.2.
    /// The link is down for 1 s at 2 s.
    static let scenario = """
        name: overloaded-link
        seed: 3
        run: {requests: 40}
        models:
          m: {serviceTime: 1ms, output: 1KB}
        nodes:
          c: {kind: client}
          s: {kind: server, workers: 8}
        links:
          - {between: [c, s], latency: 5ms, bandwidth: 10Mbps, outages: [{at: 2s, for: 1s}]}
        deployment: {kind: single, model: m, on: s, via: grpc}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 10/s}, payload: 150KB}

        """

    func testValidateAndRunWarnAboutAnOverloadedLinkWithoutFailing() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let file = directory + "/overloaded.yaml"
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let expected = "\(file):10:5: warning: links.0: link 0 (`c` → `s`) is offered a load of 1.2 (≥ 1; 12 Mbit/s offered on 10 Mbit/s)"

        let validate = try BinaryRunner.run(["validate", file])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        XCTAssertEqual(validate.stdout, "\(file): ok\n")
        XCTAssertTrue(validate.stderr.hasPrefix(expected), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("; hint: raise its `bandwidth`"), validate.stderr)

        let out = directory + "/out"
        let run = try BinaryRunner.run(["run", file, "--quiet", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix(expected), run.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let warnings = try XCTUnwrap(json["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.hasPrefix("link 0 (`c` → `s`) is offered a load of 1.2") }, "\(warnings)")
        // The outage is reported for the measured window (no warm-up: from 0 to the end).
        let links = try XCTUnwrap(json["links"] as? [String: Any])
        let link = try XCTUnwrap(links["0"] as? [String: Any])
        XCTAssertEqual(link["between"] as? [String], ["c", "s"])
        XCTAssertEqual(link["down_s"] as? Double, 1)
        XCTAssertEqual(link["outages"] as? Int, 1)
    }
}
