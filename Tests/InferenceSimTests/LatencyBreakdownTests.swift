// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel

/// The latency breakdown (`breakdown_s`, docs/summary.md): hand computations on deterministic
/// scenarios, and the invariant that the components add up to the latency.
final class LatencyBreakdownTests: XCTestCase {
    private let sparse = ArrivalProcess.streams(count: 1, interval: 10)

    private func means(_ result: ReplicationResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
    }

    /// REST, 1 MB over 8 Mbps with 10 ms latency, 1 ms of service, a 1,000-byte answer.
    /// Request: W = 10⁶·4/3 + 350 = 1,333,683.33 B → codec 4 ns/B · W = 5.3347 ms, network
    /// 10 ms + 8W/8·10⁶ = 1.3436833 s. Answer: W = 1000·4/3 + 250 = 1,583.33 B → codec
    /// 6.333 µs, network 10 ms + 1.58333 ms. Nothing queues. (Each part rounded to 1 ns.)
    func testChainOverRESTSplitsIntoNetworkSerializationAndService() throws {
        let config = ScenarioConfig(
            name: "rest", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 1)],
            links: [LinkSpec(a: "client", b: "s", latency: .deterministic(value: 0.010), bandwidthBitsPerSecond: 8e6)],
            deployment: .single(Placement(model: "m", node: "s", via: .rest)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: sparse,
                                     payloadBytes: .deterministic(value: 1e6))])
        let result = try Simulation(config: config, replication: 0).run()
        let parts = means(result)
        let up = 1e6 * 4 / 3 + 350, down = 1000.0 * 4 / 3 + 250
        XCTAssertEqual(parts["serialization"]!, (up + down) * 4e-9, accuracy: 3e-9)
        XCTAssertEqual(parts["network"]!, 0.010 + up * 8 / 8e6 + 0.010 + down * 8 / 8e6, accuracy: 3e-9)
        XCTAssertEqual(parts["service"]!, 0.001, accuracy: 1e-12)
        XCTAssertEqual(parts["queueing"]!, 0)
        XCTAssertEqual(parts["fusion_wait"]!, 0)
        XCTAssertEqual(parts["broker"]!, 0)
        XCTAssertEqual(parts.values.reduce(0, +), result.latency.mean, accuracy: 1e-12)
    }

    /// Collaborative, no links: branch on `d` serves 10 ms, branch on `e` 50 ms; fusion cost
    /// 2 ms at `d`.
    /// - Deadline 30 ms, quorum 1: the answer of `d` (at 10 ms) is the critical one; the join
    ///   waits for the deadline (20 ms) and fuses (2 ms): latency 32 ms = service 10 +
    ///   fusion_wait 22.
    /// - No deadline: `e` completes the join at 50 ms: latency 52 ms = service 50 + fusion 2.
    func testFanOutFollowsTheCriticalBranch() throws {
        func config(deadline: Double?) -> ScenarioConfig {
            ScenarioConfig(
                name: "fan", seed: 1, run: RunSettings(requests: 10),
                models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 0.010)),
                         ModelSpec(name: "slow", serviceTime: .deterministic(value: 0.050))],
                nodes: [NodeSpec(name: "d", kind: .server, workers: 1), NodeSpec(name: "e", kind: .edge, workers: 1)],
                deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                    .init(placement: Placement(model: "fast", node: "d")), .init(placement: Placement(model: "slow", node: "e")),
                ], fusion: FusionSpec(method: .mean, deadline: deadline, quorum: deadline == nil ? nil : 1,
                                      cost: .deterministic(value: 0.002)))),
                workloads: [WorkloadSpec(kind: .image, arrivals: sparse)])
        }
        let early = try Simulation(config: config(deadline: 0.030), replication: 0).run()
        XCTAssertEqual(early.latency.mean, 0.032, accuracy: 1e-12)
        XCTAssertEqual(means(early)["service"]!, 0.010, accuracy: 1e-12)
        XCTAssertEqual(means(early)["fusion_wait"]!, 0.022, accuracy: 1e-12)
        XCTAssertEqual(means(early)["network"]!, 0)
        let all = try Simulation(config: config(deadline: nil), replication: 0).run()
        XCTAssertEqual(all.latency.mean, 0.052, accuracy: 1e-12)
        XCTAssertEqual(means(all)["service"]!, 0.050, accuracy: 1e-12)
        XCTAssertEqual(means(all)["fusion_wait"]!, 0.002, accuracy: 1e-12)
    }

    /// Poisson arrivals, queueing, random service, a WAN link with jitter and loss,
    /// REST and gRPC branches, a deadline with quorum: whatever happens, each request's
    /// components add up to its latency exactly (integer nanoseconds), so the means of the
    /// components add up to the mean latency within floating-point rounding; and none is
    /// negative.
    func testComponentsAddUpToTheLatency() throws {
        let config = ScenarioConfig(
            name: "mixed", seed: 5, run: RunSettings(requests: 3000, warmupRequests: 300),
            models: [ModelSpec(name: "a", serviceTime: .exponential(mean: 0.008), outputBytes: 4000),
                     ModelSpec(name: "b", serviceTime: .lognormal(mean: 0.020, cv: 0.5), outputBytes: 2000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "d", kind: .server, workers: 1),
                    NodeSpec(name: "c", kind: .cloud, workers: 2)],
            links: [LinkSpec(a: "client", b: "d", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 1e9),
                    LinkSpec(a: "d", b: "c", latency: .deterministic(value: 0.015), jitter: .exponential(mean: 0.002),
                             bandwidthBitsPerSecond: 1e9, loss: 0.01)],
            deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                .init(placement: Placement(model: "a", node: "d", via: .grpc)),
                .init(placement: Placement(model: "b", node: "c", via: .rest)),
            ], fusion: FusionSpec(method: .mean, deadline: 0.060, quorum: 1, cost: .deterministic(value: 0.001)))),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .poisson(rate: 60),
                                     payloadBytes: .uniform(min: 100e3, max: 500e3))])
        let result = try Simulation(config: config, replication: 0).run()
        let parts = result.breakdown.meanSeconds
        XCTAssertEqual(result.breakdown.count, result.completed)
        XCTAssertEqual(Double(result.breakdown.totals.total) / 1e9, result.latency.sum, accuracy: 1e-6)
        XCTAssertEqual(parts.map(\.seconds).reduce(0, +), result.latency.mean, accuracy: 1e-12)
        for part in parts { XCTAssertGreaterThanOrEqual(part.seconds, 0, part.name) }
        XCTAssertGreaterThan(parts.first { $0.name == "queueing" }!.seconds, 0)
        XCTAssertGreaterThan(parts.first { $0.name == "fusion_wait" }!.seconds, 0)
        XCTAssertGreaterThan(parts.first { $0.name == "serialization" }!.seconds, 0)
    }

    /// Without links the network takes nothing, and on a single station the queueing is the
    /// wait of `wait_s`.
    func testNoLinksMeansNoNetworkAndQueueingIsTheWait() throws {
        let config = ScenarioBuilders.singleStation(name: "mm1", rate: 0.8, service: .exponential(mean: 1), workers: 1,
                                                    run: RunSettings(requests: 5000, warmupRequests: 500))
        let result = try Simulation(config: config, replication: 0).run()
        let parts = Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(parts["network"]!, 0)
        XCTAssertEqual(parts["queueing"]!, result.wait.mean, accuracy: 1e-9)
        XCTAssertEqual(parts["queueing"]! + parts["service"]!, result.latency.mean, accuracy: 1e-9)
    }
}
