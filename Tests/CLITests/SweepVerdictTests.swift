// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// The verdict columns of sweep.csv (`slo_met`, `slo_missed`, `bottleneck`, `bottleneck_load`,
/// `warnings`), the line `hybridsim sweep` prints about them, and their cells in the report
/// (docs/sweeps.md, "Verdict columns"; issue 17 item 6).
final class SweepVerdictTests: XCTestCase {
    /// An M/M/1 queue (service mean 100 ms) under an SLO p99 ≤ 1 s at three rates. The sojourn
    /// time of M/M/1 is exponential with rate μ − λ, so p99 = ln(100) / (μ − λ):
    /// - 1/s: ρ = 0.1, p99 = 4.605 / 9 = 0.51 s, half the bound: met (3,600 samples put the
    ///   estimate within a few per cent, far from the bound);
    /// - 8/s: ρ = 0.8, p99 = 4.605 / 2 = 2.3 s, over twice the bound: missed;
    /// - 30/s: ρ = 3: the run is stopped as unstable, and the SLO counts as missed.
    static let scenario = """
        name: verdict-sweep
        seed: 7
        run: {requests: 2000, warmupRequests: 200, replications: 2}
        models:
          m: {serviceTime: {dist: exponential, mean: 100ms}}
        nodes:
          s: {kind: server, workers: 1}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1/s}}
        slo: {latency: {p99: 1s}}
        sweep:
          grid:
            workload.0.arrivals.rate: [1/s, 8/s, 30/s]

        """

    private var directory = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
        try Self.scenario.write(toFile: directory + "/verdict.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testTableTerminalAndReportFlagTheTroubledPoints() throws {
        let out = directory + "/out"
        let result = try BinaryRunner.run(["sweep", directory + "/verdict.yaml", "--out", out, "--jobs", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("of 3 recorded points: 2 missed their SLO (points 1, 2), 1 unstable"), result.stdout)

        let lines = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        // The new columns come last (CONTRACT.md: the table is extended, never reordered).
        XCTAssertTrue(lines[0].hasSuffix(",outcome,slo_met,slo_missed,bottleneck,bottleneck_load,warnings"), lines[0])
        XCTAssertTrue(lines[1].contains(",ok,yes,,s,"), lines[1])
        XCTAssertTrue(lines[1].hasSuffix(","), lines[1])  // no warnings
        XCTAssertTrue(lines[2].contains(",ok,no,latency.p99,s,"), lines[2])
        XCTAssertTrue(lines[3].contains(",unstable,no,latency.p99,s,"), lines[3])
        XCTAssertTrue(lines[3].contains("offered a load of 3.0"), lines[3])
        // The bottleneck load: utilisation ρ ≈ 0.1 and 0.8 (within 0.05, several standard
        // errors at 3,600 samples).
        // (Lines 1 and 2 have no warnings: their next-to-last cell is the load.)
        let loads = lines[1...2].map { line -> Double in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return Double(cells[cells.count - 2]) ?? .nan
        }
        XCTAssertEqual(loads[0], 0.1, accuracy: 0.05)
        XCTAssertEqual(loads[1], 0.8, accuracy: 0.05)

        let report = try BinaryRunner.run(["report", out])
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<th>SLO</th><th>bottleneck (load)</th><th>warnings</th>"), "verdict headers")
        XCTAssertTrue(html.contains("<td><strong>missed</strong>: latency.p99</td>"), "missed cell")
        XCTAssertTrue(html.contains("2 of 3 points missed the SLO"), "missed note")
    }
}
