// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A node's `slowPeriods` in whole runs. Service times are deterministic (10 ms), so every
/// service lasts exactly 10 ms (started fast) or F · 10 ms (started slow), and the latency of
/// a request that never waits tells which. Statistical tests state their formula, confidence
/// and tolerance first and use fixed seeds.
final class SlowPeriodsFlowTests: XCTestCase {
    private let service = 0.010

    private func config(arrivals: ArrivalProcess, requests: Int, slowPeriods: SlowPeriodsSpec?, seed: UInt64 = 11) -> ScenarioConfig {
        var node = NodeSpec(name: "s", kind: .server, workers: 1)
        node.slowPeriods = slowPeriods
        return ScenarioConfig(
            name: "slow-periods", seed: seed, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: service))], nodes: [node], links: [],
            deployment: .single(Placement(model: "m", node: "s", via: nil)),
            workloads: [WorkloadSpec(kind: .image, arrivals: arrivals)])
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// Requests 10 s apart, never queued; sojourns of mean 0.5 s (slow) and 1.5 s (fast), F = 2.
    /// Two starts 10 s apart are independent up to exp(−10 · (1/0.5 + 1/1.5)) = 3e-12 (the
    /// two-state chain's correlation at lag t is exp(−t(1/T_slow + 1/T_fast))), so the number
    /// of slowed requests among n = 20 000 is binomial(n, p) with p = T_slow / (T_slow + T_fast)
    /// = 0.25. The mean latency is 10 ms · (1 + p̂ (F − 1)) exactly, so the fraction slowed
    /// p̂ = (mean / 10 ms − 1) / (F − 1). At 99.9 % confidence (z = 3.29), |p̂ − p| ≤
    /// 3.29 · √(p(1 − p)/n) = 0.0101; the mean is then E[factor] · 10 ms = 12.5 ms within
    /// 0.101 ms. Every latency is exactly 10 or 20 ms.
    func testFractionSlowedIsTheSlowShareOfTime() throws {
        let spec = SlowPeriodsSpec(factor: 2, slowSeconds: 0.5, fastSeconds: 1.5)
        XCTAssertEqual(spec.slowFraction, 0.25)
        XCTAssertEqual(spec.meanFactor, 1.25)
        let n = 20_000
        let result = try run(config(arrivals: .streams(count: 1, interval: 10), requests: n, slowPeriods: spec))
        XCTAssertEqual(result.completed, n)
        let slowed = (result.latency.mean / service - 1) / (spec.factor - 1)
        XCTAssertEqual(slowed, 0.25, accuracy: 3.29 * (0.25 * 0.75 / Double(n)).squareRoot())
        XCTAssertEqual(result.latency.mean, spec.meanFactor * service, accuracy: service * 0.0101)
        XCTAssertEqual(result.latency.min, service, accuracy: 1e-12, "a fast start: the drawn time")
        XCTAssertEqual(result.latency.max, 2 * service, accuracy: 1e-12, "a slow start: F times it, kept to the end")
        XCTAssertEqual(result.wait.mean, 0)
    }

    /// The path starts in its stationary distribution: the first request (at 1 ms) is slowed
    /// with probability p = T_slow / (T_slow + T_fast) = 0.25 (a slow sojourn has not ended by
    /// 1 ms with probability exp(−1 ms / 0.5 s) ≈ 0.998, and a fast one seldom switches: the
    /// state at 1 ms is the one at 0 up to 0.2 %, which the tolerance covers). Over seeds
    /// 1…1000 the count slowed is binomial(1000, 0.25): at 99.9 % confidence within
    /// 250 ± 3.29 · √(1000 · 0.25 · 0.75) = 250 ± 45.
    func testPathStartsInTheStationaryDistribution() throws {
        let spec = SlowPeriodsSpec(factor: 2, slowSeconds: 0.5, fastSeconds: 1.5)
        var slowed = 0
        for seed in 1...1000 {
            let result = try run(config(arrivals: .trace(timestamps: [0.001, 1000]), requests: 1, slowPeriods: spec,
                                        seed: UInt64(seed)))
            if result.latency.max > 1.5 * service { slowed += 1 }
        }
        XCTAssertEqual(Double(slowed), 250, accuracy: 45)
        XCTAssertGreaterThan(slowed, 0, "the path does not always start fast")
    }

    /// Same seed, same results; and F = 1 changes nothing: the slow periods draw from their
    /// own stream (`slow-periods/s`), so the service draws (exponential here) are the same as
    /// without the key, to the nanosecond.
    func testReproducibleAndIsolatedFromTheOtherStreams() throws {
        var base = config(arrivals: .poisson(rate: 60), requests: 5_000, slowPeriods: SlowPeriodsSpec(factor: 1.3, slowSeconds: 0.5, fastSeconds: 5))
        base.models[0].serviceTime = .exponential(mean: service)
        let first = try run(base), second = try run(base)
        XCTAssertEqual(first.latency.mean, second.latency.mean)
        XCTAssertEqual(first.latencyHistogram, second.latencyHistogram)
        XCTAssertEqual(first.nodes, second.nodes)

        var unslowed = base
        unslowed.nodes[0].slowPeriods = SlowPeriodsSpec(factor: 1, slowSeconds: 0.5, fastSeconds: 5)
        var without = base
        without.nodes[0].slowPeriods = nil
        let one = try run(unslowed), none = try run(without)
        XCTAssertEqual(one.latency.mean, none.latency.mean)
        XCTAssertEqual(one.latency.max, none.latency.max)
        XCTAssertEqual(one.nodes, none.nodes)
        XCTAssertGreaterThan(first.latency.mean, none.latency.mean, "F = 1.3 slows some services")
    }

    /// Offered load counts E[factor]: ρ = λ · E[S] · (T_slow F + T_fast)/(T_slow + T_fast)
    /// = 60/s · 10 ms · (0.5 · 2 + 1.5)/2 = 0.6 · 1.25 = 0.75.
    func testOfferedLoadCountsTheMeanSlowdown() {
        let spec = config(arrivals: .poisson(rate: 60), requests: 1,
                          slowPeriods: SlowPeriodsSpec(factor: 2, slowSeconds: 0.5, fastSeconds: 1.5))
        XCTAssertEqual(OfferedLoad.perNode(spec).first { $0.node == "s" }?.load ?? 0, 0.75, accuracy: 1e-12)
    }
}
