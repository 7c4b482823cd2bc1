// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// The readable summary `hybridsim run` prints (docs/cli.md, "The readable summary"; issue 17
/// items 8 and 11): latencies in ms, SLO figures with their units, cost and energy per hour,
/// an unstable run's unknowns said as such, answers given without each branch, and a group's
/// busiest member.
final class ReadableSummaryTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `scenario`, runs it and returns the output and its summary.json.
    private func run(_ scenario: String, status: Int32 = 0) throws -> (stdout: String, summary: [String: Any]) {
        let file = directory + "/s.yaml"
        try scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", file, "--out", directory + "/out"])
        XCTAssertEqual(result.status, status, result.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/summary.json"))
        return (result.stdout, try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    /// An M/M/1 queue at ρ = 0.5 with a price and an SLO. The printed figures are the
    /// summary's, converted: seconds × 1000 to three significant figures, the price per hour
    /// as is, energy in kWh per hour = mean J per replication / mean measured s × 3600 / 3.6e6.
    func testLatenciesInMillisecondsSLOWithUnitsCostAndEnergyPerHour() throws {
        let (out, summary) = try run("""
            name: readable
            seed: 3
            run: {requests: 4000, warmupRequests: 400, replications: 2}
            hardware:
              box: {kind: cpu, idlePower: 50W, busyPower: 150W}
            models:
              m: {serviceTime: {dist: exponential, mean: 100ms}}
            nodes:
              s: {kind: server, hardware: box, workers: 1, price: $0.50/h}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 5/s}}
            slo: {latency: {p99: 2s}, cost: $1/h}

            """)
        let latency = try XCTUnwrap(summary["latency_s"] as? [String: Any])
        let mean = try XCTUnwrap(latency["mean"] as? Double)
        let maximum = try XCTUnwrap(latency["max"] as? Double)
        XCTAssertTrue(out.contains("latency (ms) mean \(Self.ms(mean)) ± "), out)
        XCTAssertTrue(out.contains("max \(Self.ms(maximum))\n"), out)
        XCTAssertFalse(out.contains("latency (s)"), out)
        XCTAssertTrue(out.contains("latency.p99           met     target 2000 ms  value "), out)
        XCTAssertTrue(out.contains("cost_per_h            met     target $1.000/h  value $0.5000/h  margin +$0.5000/h"), out)
        let energy = try XCTUnwrap(summary["energy_j"] as? Double)
        let measured = try XCTUnwrap(summary["measured_s"] as? Double)
        let kWhPerHour = energy / (measured / 2) * 3600 / 3.6e6
        // 50 W idle + 100 W × ρ ≈ 100 W, i.e. about 0.1 kWh per hour.
        XCTAssertEqual(kWhPerHour, 0.1, accuracy: 0.01)
        XCTAssertTrue(out.contains("cost         $0.5000/h   energy \(Self.fourFigures(kWhPerHour)) kWh/h"), out)
        XCTAssertFalse(out.contains("per replication"), out)
    }

    /// A run stopped as unstable during warm-up measured nothing: its node table says
    /// `unknown` rather than utilisation 0, and the saturated node's loads are printed
    /// (ρ = 30/s × 0.1 s = 3.0 offered).
    func testUnstableRunStoppedInWarmUpShowsUnknownsAndTheSaturatedNode() throws {
        let (out, _) = try run("""
            name: unstable
            seed: 7
            run: {requests: 2000, warmupRequests: 100000, replications: 1}
            models:
              m: {serviceTime: {dist: exponential, mean: 100ms}}
            nodes:
              s: {kind: server, workers: 1}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 30/s}}

            """, status: 4)
        XCTAssertTrue(out.contains("s     1        unknown      unknown"), out)
        XCTAssertFalse(out.contains("s     1        0 "), out)
        XCTAssertTrue(out.contains("saturated    node s: offered load 3.000, observed load "), out)
    }

    /// Collaborative with a deadline: branch `slow` (M/M/1, service mean 100 ms, ρ = 0.1) misses
    /// the 50 ms deadline when its sojourn time, exponential with rate μ − λ = 9/s, exceeds it:
    /// P = e^(−0.45) = 0.638 (plus the network-free dispatch: none here). 4,000 joins give a
    /// standard error of 0.008; the tolerance 0.04 is five of them. `fast` answers in 10 ms
    /// and is always used. The table prints 1 − `fusion.branch_share` of each branch.
    func testAnswersWithoutEachBranchAreInTheTable() throws {
        let (out, summary) = try run("""
            name: without
            seed: 5
            run: {requests: 2000, warmupRequests: 200, replications: 2}
            models:
              fast: {serviceTime: 10ms}
              slow: {serviceTime: {dist: exponential, mean: 100ms}}
            nodes:
              a: {kind: server, workers: 4}
              b: {kind: server, workers: 1}
              f: {kind: server}
            deployment:
              kind: collaborative
              fuseAt: f
              branches:
                - {model: fast, on: a}
                - {model: slow, on: b}
              fusion: {method: mean, deadline: 50ms, quorum: 1}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 1/s}}

            """)
        let fusion = try XCTUnwrap(summary["fusion"] as? [String: Any])
        let share = try XCTUnwrap(fusion["branch_share"] as? [String: Double])
        let slowShare = try XCTUnwrap(share["slow@b"])
        XCTAssertEqual(1 - slowShare, 0.638, accuracy: 0.04)
        XCTAssertTrue(out.contains("answered without  fast@a 0.0 %, slow@b \(String(format: "%.1f %%", (1 - slowShare) * 100))"), out)
    }

    /// The fusion node of a collaborative deployment shows the workers it declares (2) and the
    /// load its fusion cost would put on them: joins/s × mean cost ÷ workers = 20/s × 10 ms ÷ 2
    /// = 0.1 (every request is joined once; the measured join rate is the throughput, 20/s up
    /// to sampling noise: 4,000 Poisson arrivals give a relative standard error of 1.6 %, and
    /// the tolerance 0.01 is 10 %).
    func testFusionNodeShowsItsWorkersAndTheFusionLoad() throws {
        let (out, summary) = try run("""
            name: fusion-load
            seed: 5
            run: {requests: 2000, warmupRequests: 200, replications: 2}
            models:
              a: {serviceTime: 5ms}
              b: {serviceTime: 5ms}
            nodes:
              x: {kind: server, workers: 2}
              y: {kind: server, workers: 2}
              f: {kind: server, workers: 2}
            deployment:
              kind: collaborative
              fuseAt: f
              branches:
                - {model: a, on: x}
                - {model: b, on: y}
              fusion: {method: mean, cost: 10ms}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 20/s}}

            """)
        let fusion = try XCTUnwrap(summary["fusion"] as? [String: Any])
        XCTAssertEqual(fusion["node"] as? String, "f")
        XCTAssertEqual(fusion["node_workers"] as? Int, 2)
        XCTAssertEqual(try XCTUnwrap(fusion["cost_mean_s"] as? Double), 0.01, accuracy: 1e-12)
        let load = try XCTUnwrap(fusion["load"] as? Double)
        XCTAssertEqual(load, 0.1, accuracy: 0.01)
        XCTAssertTrue(out.contains("f     2        fusion load \(Self.fourFigures(load))  (join node: "), out)
    }

    /// A node group shows its busiest member's utilisation (`utilization_max`) next to the
    /// group's.
    func testGroupShowsItsBusiestMember() throws {
        let (out, summary) = try run("""
            name: group
            seed: 5
            run: {requests: 2000, warmupRequests: 200, replications: 1}
            models:
              m: {serviceTime: {dist: exponential, mean: 100ms}}
            nodes:
              g: {kind: server, workers: 1, count: 4}
            deployment: {kind: single, model: m, on: g, select: random}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 8/s}}

            """)
        let nodes = try XCTUnwrap(summary["nodes"] as? [String: Any])
        let group = try XCTUnwrap(nodes["g"] as? [String: Any])
        let busiest = try XCTUnwrap(group["utilization_max"] as? Double)
        XCTAssertGreaterThan(busiest, try XCTUnwrap(group["utilization"] as? Double))
        XCTAssertTrue(out.contains("(4 members, busiest utilization \(Self.fourFigures(busiest)))"), out)
    }

    /// The table's millisecond format: three significant figures, at least the units digit.
    static func ms(_ seconds: Double) -> String {
        let ms = seconds * 1000
        return String(format: "%.\(max(0, 2 - Int(floor(log10(abs(ms))))))f", ms)
    }

    /// The table's plain format: four significant figures (for magnitudes 1e-4 … 1e6).
    static func fourFigures(_ x: Double) -> String {
        String(format: "%.\(max(0, 3 - Int(floor(log10(abs(x))))))f", x)
    }
}
