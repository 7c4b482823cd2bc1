// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel

/// Node groups (`count`, `select`, `weights`) against hand computation.
final class NodeGroupTests: XCTestCase {
    /// One model on a group `g` of `count` members with `select`, requests from `source`
    /// (default: the group's entry, i.e. no network).
    private func groupScenario(count: Int, select: MemberSelection, arrivals: ArrivalProcess,
                               service: Distribution = .exponential(mean: 0.01), requests: Int = 4_000,
                               kind: NodeKind = .server, sourceIsGroup: Bool = false, weights: [Double]? = nil,
                               hardware: HardwareSpec? = nil, seed: UInt64 = 7) -> ScenarioConfig {
        ScenarioConfig(
            name: "group", seed: seed, run: RunSettings(requests: requests),
            hardware: hardware.map { [$0] } ?? [],
            models: [ModelSpec(name: "m", serviceTime: service)],
            nodes: [NodeSpec(name: "g", kind: kind, workers: 1, hardware: hardware?.name, count: count)],
            deployment: .single(Placement(model: "m", node: "g", select: select)),
            workloads: [WorkloadSpec(kind: .image, source: sourceIsGroup ? "g" : nil, arrivals: arrivals,
                                     sourceWeights: weights)])
    }

    private func runOnce(_ config: ScenarioConfig) throws -> ReplicationResult {
        try Simulation(config: config, replication: 0).run()
    }

    /// Round robin hands out arrivals in turn, so with A arrivals over 4 members member i gets
    /// ⌊A/4⌋ + (i < A mod 4 ? 1 : 0) — exactly.
    func testRoundRobinGivesExactlyEqualArrivals() throws {
        let result = try runOnce(groupScenario(count: 4, select: .roundRobin, arrivals: .poisson(rate: 50)))
        let group = try XCTUnwrap(result.nodes.first { $0.name == "g" })
        let perMember = try XCTUnwrap(group.memberArrivals)
        let total = group.arrivals
        XCTAssertGreaterThanOrEqual(total, 4_000)
        XCTAssertEqual(perMember, (0..<4).map { total / 4 + ($0 < total % 4 ? 1 : 0) })
        XCTAssertEqual(group.members, 4)
    }

    /// `local` serves each request on the member it comes from. With source weights
    /// [0, 1, 0] every request comes from member 1, so member 1 gets every arrival; with
    /// [1, 0, 3] member 1 gets none and member 0 gets a Binomial(A, 1/4) share: its fraction
    /// must lie within 4 standard deviations, 4·√(p(1−p)/A) ≈ 0.027 for A = 4,000 (fixed
    /// seed: deterministic).
    func testLocalServesEachRequestAtItsSourceMember() throws {
        let one = try runOnce(groupScenario(count: 3, select: .local, arrivals: .poisson(rate: 50), kind: .edge,
                                            sourceIsGroup: true, weights: [0, 1, 0]))
        let onlyOne = try XCTUnwrap(one.nodes.first { $0.name == "g" })
        XCTAssertEqual(onlyOne.memberArrivals, [0, onlyOne.arrivals, 0])

        let spread = try runOnce(groupScenario(count: 3, select: .local, arrivals: .poisson(rate: 50), kind: .edge,
                                               sourceIsGroup: true, weights: [1, 0, 3]))
        let group = try XCTUnwrap(spread.nodes.first { $0.name == "g" })
        let perMember = try XCTUnwrap(group.memberArrivals)
        XCTAssertEqual(perMember[1], 0)
        let share = Double(perMember[0]) / Double(group.arrivals)
        XCTAssertEqual(share, 0.25, accuracy: 4 * (0.25 * 0.75 / Double(group.arrivals)).squareRoot())
    }

    /// At very low load (one request every 10 s, 1 s of service) every member is idle at
    /// each arrival, so every choice is a tie: `leastLoaded` breaks ties by round robin, so
    /// with A arrivals over 4 members member i gets exactly ⌊A/4⌋ + (i < A mod 4 ? 1 : 0)
    /// (tolerance 0; it used to send every request to member 0).
    func testLeastLoadedRotatesTiesOverIdleMembers() throws {
        let arrivals = ArrivalProcess.streams(count: 1, interval: 10)
        let least = try runOnce(groupScenario(count: 4, select: .leastLoaded, arrivals: arrivals,
                                              service: .deterministic(value: 1), requests: 40))
        let group = try XCTUnwrap(least.nodes.first { $0.name == "g" })
        let total = group.arrivals
        XCTAssertGreaterThanOrEqual(total, 40)
        XCTAssertEqual(group.memberArrivals, (0..<4).map { total / 4 + ($0 < total % 4 ? 1 : 0) })
        XCTAssertEqual(least.latency.mean, 1, accuracy: 1e-9)
    }

    /// Under a heavy burst (1,000 arrivals at t = 0, deterministic 1 s service, 4 members of
    /// one worker) `leastLoaded` and `powerOfTwo` keep the queues level: leastLoaded hands
    /// the burst out exactly 250 each (the fewest-jobs member, ties in turn, is always the
    /// next in turn); powerOfTwo keeps every member within a few jobs of 250.
    func testLoadAwarePoliciesBalanceABurst() throws {
        let burst = ArrivalProcess.trace(timestamps: Array(repeating: 0, count: 1_000) + [10_000])
        let least = try runOnce(groupScenario(count: 4, select: .leastLoaded, arrivals: burst,
                                              service: .deterministic(value: 1), requests: 1_000))
        XCTAssertEqual(least.nodes.first { $0.name == "g" }?.memberArrivals, [250, 250, 250, 250])
        let two = try runOnce(groupScenario(count: 4, select: .powerOfTwo, arrivals: burst,
                                            service: .deterministic(value: 1), requests: 1_000))
        let perMember = try XCTUnwrap(two.nodes.first { $0.name == "g" }?.memberArrivals)
        XCTAssertEqual(perMember.reduce(0, +), 1_000)
        for count in perMember { XCTAssertEqual(Double(count), 250, accuracy: 5) }
        // Random ignores load: with 1,000 uniform draws a member's count is Binomial(1000, 1/4),
        // sd ≈ 13.7; it must differ from the level split by more than powerOfTwo's 5 somewhere
        // and stay within 4 sd everywhere.
        let random = try runOnce(groupScenario(count: 4, select: .random, arrivals: burst,
                                               service: .deterministic(value: 1), requests: 1_000))
        let randomCounts = try XCTUnwrap(random.nodes.first { $0.name == "g" }?.memberArrivals)
        XCTAssertTrue(randomCounts.contains { abs($0 - 250) > 5 }, "\(randomCounts)")
        for count in randomCounts { XCTAssertEqual(Double(count), 250, accuracy: 4 * 13.7) }
    }

    /// A group of one member is the single node: same streams, same numbers (the source
    /// spread draws from its own stream `source/0`, which shifts nothing else).
    func testGroupOfOneEqualsTheSingleNode() throws {
        let single = ScenarioConfig(
            name: "group", seed: 7, run: RunSettings(requests: 4_000),
            models: [ModelSpec(name: "m", serviceTime: .exponential(mean: 0.01))],
            nodes: [NodeSpec(name: "g", kind: .edge, workers: 1)],
            deployment: .single(Placement(model: "m", node: "g")),
            workloads: [WorkloadSpec(kind: .image, source: "g", arrivals: .poisson(rate: 50))])
        let a = try runOnce(single)
        let b = try runOnce(groupScenario(count: 1, select: .local, arrivals: .poisson(rate: 50), kind: .edge,
                                          sourceIsGroup: true))
        XCTAssertEqual(a.latency.mean, b.latency.mean)
        XCTAssertEqual(a.nodes[0].utilization, b.nodes[0].utilization)
        XCTAssertEqual(a.nodes[0].meanQueueLength, b.nodes[0].meanQueueLength)
        XCTAssertEqual(a.events, b.events)
    }

    /// The group's entry aggregates its members: with N members of hardware idle P_i, busy
    /// P_b and price c per hour, over T measured seconds at group utilisation u,
    /// energy = (N·P_i + N·u·(P_b − P_i))·T, cost = N·c·T/3600; arrivals are the members' sum;
    /// the busiest member is at least the group's utilisation.
    func testSummaryAggregatesTheMembers() throws {
        let gpu = HardwareSpec(name: "orin", kind: .gpu, idlePowerWatts: 5, busyPowerWatts: 15, pricePerHour: 0.36)
        let result = try runOnce(groupScenario(count: 4, select: .roundRobin, arrivals: .poisson(rate: 200),
                                               hardware: gpu))
        let group = try XCTUnwrap(result.nodes.first { $0.name == "g" })
        let seconds = result.measuredSeconds
        XCTAssertEqual(group.workers, 4)
        XCTAssertEqual(group.arrivals, group.memberArrivals?.reduce(0, +))
        XCTAssertEqual(group.energyJoules, (4 * 5 + 4 * group.utilization * 10) * seconds, accuracy: 1e-9 * group.energyJoules)
        XCTAssertEqual(group.costUSD, 4 * 0.36 * seconds / 3600, accuracy: 1e-12)
        // λ = 200/s over 4 members of μ = 100/s: u = 0.5 per member (loose: one run of 4,000).
        XCTAssertEqual(group.utilization, 0.5, accuracy: 0.05)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(group.utilizationMax), group.utilization)
    }

    /// N = 5 edge devices, each its own M/M/1 (local placement), λ = 0.5/s per device
    /// (2.5/s for the group, split uniformly: thinning a Poisson process gives 5 independent
    /// Poisson processes), μ = 1/s: W = 1/(μ − λ) = 2 s, utilisation 0.5. Method as in
    /// QueueingValidationTests: 12 replications of 40,000 requests after 4,000 of warm-up;
    /// the Student-t 99 % interval of the replication means must contain 2 s and be
    /// narrower than ±10 %.
    func testLocalGroupOfMM1MatchesIndependentQueues() throws {
        var config = groupScenario(count: 5, select: .local, arrivals: .poisson(rate: 2.5),
                                   service: .exponential(mean: 1), kind: .edge, sourceIsGroup: true, seed: 2024)
        config.run = RunSettings(requests: 40_000, warmupRequests: 4_000, replications: 12)
        let results = try Replications.results(of: config)
        let latency = try ScenarioBuilders.ci99(results.map(\.latency.mean))
        XCTAssertTrue(latency.low <= 2 && 2 <= latency.high, "W: 99% CI [\(latency.low), \(latency.high)]")
        XCTAssertLessThan(latency.halfWidth, 0.2)
        let utilization = try ScenarioBuilders.ci99(results.map { $0.nodes[0].utilization })
        XCTAssertTrue(utilization.low <= 0.5 && 0.5 <= utilization.high, "u: [\(utilization.low), \(utilization.high)]")
        for result in results { XCTAssertTrue(result.conservation.holds) }
    }

    /// Same seed, same numbers, for the random policies too.
    func testRandomPoliciesAreReproducible() throws {
        for policy in [MemberSelection.random, .powerOfTwo] {
            let config = groupScenario(count: 6, select: policy, arrivals: .poisson(rate: 300))
            let a = try runOnce(config), b = try runOnce(config)
            XCTAssertEqual(a.nodes[0].memberArrivals, b.nodes[0].memberArrivals)
            XCTAssertEqual(a.latency.mean, b.latency.mean)
        }
    }

    /// The timeline has one row per group and interval, summed over the members: 4 periodic
    /// streams (one request every 1 s each, staggered by 0.25 s) round-robin over 4 members
    /// with 0.5 s of deterministic service keep exactly 2 of the 4 workers busy from t = 0.5 s
    /// on, so every window after that has utilisation 0.5 and 4 workers.
    func testTimelineHasOneRowPerGroup() throws {
        var config = groupScenario(count: 4, select: .roundRobin, arrivals: .streams(count: 4, interval: 1),
                                   service: .deterministic(value: 0.5))
        config.run = RunSettings(duration: 100)
        let result = try Simulation(config: config, replication: 0, options: .init(timelineReplications: 1)).run()
        let timeline = try XCTUnwrap(result.timeline)
        XCTAssertEqual(timeline.nodes, ["g"])
        XCTAssertEqual(Set(timeline.rows.map(\.node)), [0])
        let later = timeline.rows.filter { $0.time >= 1 }
        XCTAssertGreaterThan(later.count, 100)
        for row in later {
            XCTAssertEqual(row.workers, 4)
            XCTAssertEqual(row.utilization, 0.5, accuracy: 1e-9, "at \(row.time)")
        }
    }
}
