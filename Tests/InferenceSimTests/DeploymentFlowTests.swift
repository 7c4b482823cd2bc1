// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// Hand computations of how requests move: network legs, protocols, distributed shares,
/// joins, power modes, video frames. Arrivals are far apart (no queueing) and times are
/// deterministic, so every latency is exact.
final class DeploymentFlowTests: XCTestCase {
    private let sparse = ArrivalProcess.streams(count: 1, interval: 10)
    private let run = RunSettings(requests: 20)

    private func latencies(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    private func clientServer(payload: Double, via: CallProtocol?, bandwidth: Double = 8e6) -> ScenarioConfig {
        ScenarioConfig(
            name: "net", seed: 1, run: run,
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 1)],
            links: [LinkSpec(a: "client", b: "s", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: bandwidth)],
            deployment: .single(Placement(model: "m", node: "s", via: via)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: sparse,
                                     payloadBytes: .deterministic(value: payload))])
    }

    /// 1 MB over 8 Mbps with 10 ms latency, in-process call: request 0.010 + 8·10⁶/8·10⁶ = 1.010 s,
    /// service 0.001 s, answer 0.010 + 8,000/8·10⁶ = 0.011 s → 1.022 s exactly.
    func testOneMegabyteOverEightMegabitsTakesASecondPlusLatency() throws {
        let result = try latencies(clientServer(payload: 1e6, via: nil))
        XCTAssertEqual(result.latency.min, 1.022, accuracy: 1e-9)
        XCTAssertEqual(result.latency.max, 1.022, accuracy: 1e-9)
    }

    /// REST: the request carries 1e6·4/3 + 350 bytes, the answer 1000·4/3 + 250; codec time is
    /// 4 ns per wire byte. gRPC: 1e6 + 60 and 1000 + 40 bytes, 1 ns per byte. REST is slower by
    /// exactly the difference of those two sums.
    func testRestPaysBase64HeadersAndCodecMoreThanGRPC() throws {
        func expected(_ costs: (inflation: Double, request: Double, response: Double, codec: Double)) -> Double {
            let up = 1e6 * costs.inflation + costs.request, down = 1000 * costs.inflation + costs.response
            return (0.010 + up * 8 / 8e6 + up * costs.codec) + 0.001 + (0.010 + down * 8 / 8e6 + down * costs.codec)
        }
        let rest = try latencies(clientServer(payload: 1e6, via: .rest))
        let grpc = try latencies(clientServer(payload: 1e6, via: .grpc))
        XCTAssertEqual(rest.latency.mean, expected((4.0 / 3.0, 350, 250, 4e-9)), accuracy: 2e-9)
        XCTAssertEqual(grpc.latency.mean, expected((1, 60, 40, 1e-9)), accuracy: 2e-9)
        XCTAssertGreaterThan(rest.latency.mean, grpc.latency.mean)
    }

    /// Without keep-alive (`setupRoundTrips: 1`) every call first pays one round trip of the
    /// path: here 2 × 10 ms more than the same call on a kept-alive connection.
    func testConnectionSetupCostsOneRoundTripPerCall() throws {
        let kept = try latencies(clientServer(payload: 1e6, via: .rest))
        var config = clientServer(payload: 1e6, via: .rest)
        config.protocols = [ProtocolSpec(call: .rest, setupRoundTrips: 1)]
        let perCall = try latencies(config)
        XCTAssertEqual(perCall.latency.mean - kept.latency.mean, 0.020, accuracy: 2e-9)
    }

    /// A placement's own `call:` settings apply over the scenario's `protocols:` entry, field
    /// by field: `protocols.rest` opens a connection per call (one 20 ms round trip) and the
    /// placement raises its request headers from 350 B to 1,350 B — 1,000 more bytes at
    /// 8 Mbps (1 ms) and 4 ns/B codec (4 µs) — and keeps the set-up from `protocols`.
    func testAPlacementsCallSettingsOverrideTheProtocolsField() throws {
        var config = clientServer(payload: 1e6, via: .rest)
        config.protocols = [ProtocolSpec(call: .rest, setupRoundTrips: 1)]
        let scenarioWide = try latencies(config)
        config.deployment = .single(Placement(model: "m", node: "s", via: .rest,
                                              call: ProtocolSpec(call: .rest, requestOverheadBytes: 1350)))
        let ownHeaders = try latencies(config)
        XCTAssertEqual(ownHeaders.latency.mean - scenarioWide.latency.mean, 1000 * 8 / 8e6 + 1000 * 4e-9, accuracy: 2e-9)
        config.deployment = .single(Placement(model: "m", node: "s", via: .rest,
                                              call: ProtocolSpec(call: .rest, setupRoundTrips: 0)))
        let keptAlive = try latencies(config)
        XCTAssertEqual(scenarioWide.latency.mean - keptAlive.latency.mean, 0.020, accuracy: 2e-9)
    }

    /// Distributed over two parts with shares 0.25 and 0.75 of a 1 s job, merge 0.1 s, no
    /// network: the parts take 0.25 s and 0.75 s in parallel; latency = 0.75 + 0.1 = 0.85 s.
    func testDistributedSharesSplitTheWorkAndTheAggregatorMerges() throws {
        let config = ScenarioConfig(
            name: "split", seed: 1, run: run,
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "agg", kind: .server, workers: 1), NodeSpec(name: "a", kind: .server, workers: 1),
                    NodeSpec(name: "b", kind: .cloud, workers: 1)],
            deployment: .distributed(DistributedSpec(aggregator: "agg", parts: [
                .init(placement: Placement(model: "m", node: "a"), share: 0.25),
                .init(placement: Placement(model: "m", node: "b"), share: 0.75),
            ], mergeCost: .deterministic(value: 0.1))),
            workloads: [WorkloadSpec(kind: .image, arrivals: sparse)])
        let result = try latencies(config)
        XCTAssertEqual(result.latency.min, 0.85, accuracy: 1e-9)
        XCTAssertEqual(result.latency.max, 0.85, accuracy: 1e-9)
        // The window ends with the 20th answer, at 190 + 0.85 s: busy 20·0.25 s and 20·0.75 s.
        XCTAssertEqual(result.nodes.first { $0.name == "a" }!.utilization, 5 / 190.85, accuracy: 1e-9)
        XCTAssertEqual(result.nodes.first { $0.name == "b" }!.utilization, 15 / 190.85, accuracy: 1e-9)
    }

    /// Collaborative with a 10 ms deadline and quorum 2 under `fail`: both branches take 1 s,
    /// so no answer is in at the deadline and every request fails (dropped); their answers
    /// arrive late. Measured by duration, since no request completes.
    func testQuorumMissedUnderFailDropsTheRequest() throws {
        let config = ScenarioConfig(
            name: "fail", seed: 1, run: RunSettings(duration: 100),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "d", kind: .server, workers: 1), NodeSpec(name: "e", kind: .edge, workers: 1)],
            deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                .init(placement: Placement(model: "m", node: "d")), .init(placement: Placement(model: "m", node: "e")),
            ], fusion: FusionSpec(method: .mean, deadline: 0.010, quorum: 2, onQuorumMissed: .fail))),
            workloads: [WorkloadSpec(kind: .image, arrivals: sparse)])
        let result = try latencies(config)
        XCTAssertEqual(result.completed, 0)
        XCTAssertEqual(result.dropped, 10)  // arrivals at 0, 10, ..., 90 s
        XCTAssertEqual(result.lateAnswers, 20)
        let summary = RunSummary(config: config, results: [result])
        XCTAssertTrue(summary.warnings.contains { $0.contains("dropped") })
    }

    /// Power: idle 10 W, busy 30 W, linear in utilisation. A node busy half the time (1 s of
    /// service every 2 s) draws (10 + 30)/2 = 20 W; over the measured window T, 20·T joules.
    /// In a power mode capped at 15 W with speed 0.5, the same job takes 2 s (busy all the
    /// time) and draws the cap: 15 W. Price $3.60/h on 2 instances: $7.20/h.
    func testPowerEnergyAndCost() throws {
        let hardware = HardwareSpec(name: "gpu", kind: .gpu, idlePowerWatts: 10, busyPowerWatts: 30,
                                    powerModes: [PowerMode(name: "15W", powerCapWatts: 15, speedFactor: 0.5)])
        func config(mode: String?, instances: Int) -> ScenarioConfig {
            ScenarioConfig(
                name: "power", seed: 1, run: RunSettings(duration: 2000, warmupDuration: 100), hardware: [hardware],
                models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
                nodes: [NodeSpec(name: "n", kind: instances > 1 ? .cloud : .edge, workers: 1, hardware: "gpu",
                                 powerMode: mode, pricePerHour: 3.6, instances: instances)],
                deployment: .single(Placement(model: "m", node: "n")),
                workloads: [WorkloadSpec(kind: .image, arrivals: .streams(count: instances, interval: 2))])
        }
        let full = try latencies(config(mode: nil, instances: 1))
        XCTAssertEqual(full.nodes[0].utilization, 0.5, accuracy: 1e-9)
        XCTAssertEqual(full.nodes[0].meanPowerWatts, 20, accuracy: 1e-6)
        XCTAssertEqual(full.nodes[0].energyJoules, 20 * 2000, accuracy: 1e-3)
        let capped = try latencies(config(mode: "15W", instances: 1))
        XCTAssertEqual(capped.latency.mean, 2, accuracy: 1e-9)
        XCTAssertEqual(capped.nodes[0].utilization, 1, accuracy: 1e-9)
        XCTAssertEqual(capped.nodes[0].meanPowerWatts, 15, accuracy: 1e-6)
        let pool = try latencies(config(mode: nil, instances: 2))
        XCTAssertEqual(pool.nodes[0].costPerHour, 7.2, accuracy: 1e-12)
        XCTAssertEqual(pool.nodes[0].costUSD, 7.2 * 2000 / 3600, accuracy: 1e-9)
        XCTAssertEqual(pool.nodes[0].meanPowerWatts, 2 * 20, accuracy: 1e-6)
    }

    /// A video segment of 8 processed frames takes 8 × the per-frame service time.
    func testVideoSegmentsCostTheirFrames() throws {
        let config = ScenarioConfig(
            name: "video", seed: 1, run: run,
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010))],
            nodes: [NodeSpec(name: "s", kind: .server, workers: 1)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .video, arrivals: .streams(count: 2, interval: 2),
                                     video: VideoSpec(fps: 25, segmentSeconds: 2, framesProcessed: 8))])
        XCTAssertEqual(try latencies(config).latency.mean, 0.080, accuracy: 1e-9)
    }

    /// SLO: every latency is exactly 0.85 s, so `latency.max` ≤ 1 s is met with margin 0.15,
    /// `latency.p99` ≤ 0.5 s is missed by 0.35 (within the histogram's precision), an accuracy
    /// floor without accuracy is not evaluated, and $2/h ≤ $3/h is met with margin 1.
    func testSLOReportsMarginsAndUnevaluatedObjectives() throws {
        var config = ScenarioConfig(
            name: "slo", seed: 1, run: run,
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.85))],
            nodes: [NodeSpec(name: "s", kind: .server, workers: 1, pricePerHour: 2)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, arrivals: sparse)])
        config.slo = SLOSpec(latency: [LatencyObjective(statistic: .max, bound: 1),
                                       LatencyObjective(statistic: .percentile(99), bound: 0.5)],
                             accuracyFloor: 0.9, costCeilingPerHour: 3)
        let summary = RunSummary(config: config, results: [try latencies(config)])
        let report = try XCTUnwrap(summary.slo)
        XCTAssertFalse(report.met)
        XCTAssertEqual(report.checks.map(\.name), ["latency.max", "latency.p99", "accuracy", "cost_per_h"])
        XCTAssertEqual(report.checks.map(\.met), [true, false, false, true])
        XCTAssertEqual(report.checks[0].margin ?? .nan, 0.15, accuracy: 1e-9)
        XCTAssertEqual(report.checks[1].margin ?? .nan, -0.35, accuracy: 0.001)
        XCTAssertNil(report.checks[2].value)
        XCTAssertEqual(report.checks[3].margin ?? .nan, 1, accuracy: 1e-12)
    }
}
