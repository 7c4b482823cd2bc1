// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// An autoscaled pool under a step of load, with deterministic arrivals, service and boot so
/// that every instance count and time is exact.
///
/// Setup: 1 worker per instance, service 1 s; arrivals every 5 s on [0, 100), every 0.5 s on
/// [100, 300), every 5 s on [300, 600); measured from 0 to 600 s. Policy: utilisation target
/// 0.25, interval 10 s, min 1, max 4, step 2, cooldown 30 s, scale-in delay 60 s, boot 25 s,
/// price 3.6 $/h per instance, billing minimum 60 s.
///
/// Hand computation:
/// - Until 100 each 10 s window holds 2 s of service: u = 0.2, ⌈1 · 0.2/0.25⌉ = 1 → no change.
/// - At 110 the window [100, 110] was saturated: u = 1, desired = ⌈1/0.25⌉ = 4 (the max);
///   launch min(step 2, 4 − 1) = 2 at 110; they serve at 110 + 25 = 135. Cooldown until 140,
///   so the evaluations at 120 and 130 launch nothing.
/// - At 140 the backlog keeps u = 1: desired 4 > 3 serving + 0 booting → launch 1 (ready 165).
/// - From about 168 the backlog is gone: 2 jobs in service on 4 workers, u = 0.5, desired
///   ⌈4 · 0.5/0.25⌉ clamps to 4 → no change.
/// - From 300, u = 2 s / 40 s: desired 1 < 4 first at 310; one instance (the newest) is
///   terminated at 370, 430 and 490 (delay 60 s each, restarted by each scale-in).
/// Lifetimes: #0 0→600 (running), #1 110→490, #2 110→430, #3 140→370: 1530 instance-s, so
/// instances_mean = 1530/600 = 2.55, instances_max = 4, cost = 1530 s · 3.6 $/h = 1.53 $.
final class AutoscalerTests: XCTestCase {
    static func stepScenario(cooldown: Double) -> ScenarioConfig {
        var arrivals = stride(from: 0.0, to: 100, by: 5).map { $0 }
        arrivals += stride(from: 100.0, to: 300, by: 0.5).map { $0 }
        arrivals += stride(from: 300.0, to: 600, by: 5).map { $0 }
        let policy = AutoscalingSpec(min: 1, max: 4, metric: .utilization, target: 0.25, interval: 10, step: 2,
                                     cooldown: cooldown, scaleInDelay: 60, boot: .deterministic(value: 25),
                                     billingMinimum: 60)
        return ScenarioConfig(
            name: "autoscale-step", seed: 7, run: RunSettings(duration: 600),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "pool", kind: .cloud, workers: 1, pricePerHour: 3.6, instances: 1,
                             autoscaling: policy)],
            deployment: .single(Placement(model: "m", node: "pool")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: arrivals))])
    }

    private func poolResult(cooldown: Double) throws -> NodeResult {
        let result = try Simulation(config: Self.stepScenario(cooldown: cooldown), replication: 0).run()
        return try XCTUnwrap(result.nodes.first { $0.name == "pool" })
    }

    private func seconds(_ t: Int64?) -> Double? { t.map { Double($0) / 1e9 } }

    func testStepOfLoadScalesOutAfterBootAndInAfterDelay() throws {
        let node = try poolResult(cooldown: 30)
        let lives = try XCTUnwrap(node.pool).lifetimes
        XCTAssertEqual(lives.map { seconds($0.launch) }, [0, 110, 110, 140])
        XCTAssertEqual(lives.map { seconds($0.ready) }, [0, 135, 135, 165])
        XCTAssertEqual(lives.map { seconds($0.termination) }, [nil, 490, 430, 370])
        XCTAssertEqual(node.instancesMean, 2.55, accuracy: 1e-9)
        XCTAssertEqual(node.instancesMax, 4)
        XCTAssertEqual(node.costUSD, 1.53, accuracy: 1e-9)
        XCTAssertEqual(node.costPerHour, 1.53 / (600.0 / 3600), accuracy: 1e-9)
    }

    /// Cooldown 50 s: after the launch at 110 the next scale-out waits until 160 (the
    /// evaluations at 140 and 150 want 4 but may not launch); it serves at 185.
    func testCooldownDelaysTheNextScaleOut() throws {
        let lives = try XCTUnwrap(try poolResult(cooldown: 50).pool).lifetimes
        XCTAssertEqual(lives.map { seconds($0.launch) }, [0, 110, 110, 160])
        XCTAssertEqual(lives.map { seconds($0.ready) }, [0, 135, 135, 185])
    }

    /// Billing by hand, window [100 s, 200 s], minimum 60 s:
    /// a 10 s instance (120→130) is billed 60 s; a 10.2 s one (140→150.2) 60 s, and 61 s
    /// rounded up from 60.2 s (140→200.2, cut at the window's end: 60 s inside); one launched
    /// at 50 s and ended at 130 s is billed 30 s inside; one launched at 180 and still running
    /// is billed [180, 240] ∩ window = 20 s.
    func testBillingRoundsUpToTheMinimumPeriodInsideTheWindow() {
        func s(_ x: Double) -> Int64 { Int64((x * 1e9).rounded()) }
        let window = (s(100), s(200))
        func billed(_ life: PoolHistory.Lifetime, minimum: Double = 60) -> Double {
            PoolHistory(lifetimes: [life]).billedSeconds(from: window.0, to: window.1, minimum: minimum)
        }
        XCTAssertEqual(billed(.init(launch: s(120), termination: s(130))), 60)
        XCTAssertEqual(billed(.init(launch: s(120), termination: s(130.2)), minimum: 0), 11)
        XCTAssertEqual(billed(.init(launch: s(120), termination: s(180.2))), 61)
        XCTAssertEqual(billed(.init(launch: s(140), termination: s(200.2))), 60)
        XCTAssertEqual(billed(.init(launch: s(50), termination: s(130))), 30)
        XCTAssertEqual(billed(.init(launch: s(180))), 20)
    }

    /// instances_mean / max by hand over [0, 10]: one instance throughout, one over [2, 6],
    /// one over [4, 12]: (10 + 4 + 6) / 10 = 2; at most 3 at once (over [4, 6]).
    func testInstancesMeanAndMax() {
        let history = PoolHistory(lifetimes: [.init(launch: 0), .init(launch: 2, termination: 6),
                                              .init(launch: 4, termination: 12)])
        XCTAssertEqual(history.meanInstances(from: 0, to: 10), 2, accuracy: 1e-12)
        XCTAssertEqual(history.maxInstances(from: 0, to: 10), 3)
        XCTAssertEqual(history.maxInstances(from: 7, to: 10), 2)
    }

    /// SLO misses during scale-out. Instances boot over [110, 135) and [140, 165) (an
    /// evaluation precedes the completions at its instant, a boot's end precedes them too).
    /// The saturated single worker completes one job per second at 110 … 134 (25); the three
    /// workers from 135 complete three per second at 140 … 164 (75): 100 completions, all with
    /// a backlog ahead of them (latency > 1.5 s, the p99 bound), so all 100 miss it.
    func testSLOMissesDuringScaleOut() throws {
        var config = Self.stepScenario(cooldown: 30)
        config.slo = SLOSpec(latency: [LatencyObjective(statistic: .mean, bound: 0.1),
                                       LatencyObjective(statistic: .percentile(99), bound: 1.5)])
        XCTAssertEqual(ScaleOutCounts.threshold(for: config.slo), 1.5)
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(result.scaleOut, ScaleOutCounts(completed: 100, sloMisses: 100, threshold: 1.5))
        config.slo = nil
        let withoutSLO = try Simulation(config: config, replication: 0).run()
        XCTAssertEqual(withoutSLO.scaleOut, ScaleOutCounts(completed: 100, sloMisses: 0, threshold: nil))
    }

    /// Boot split into VM boot 10 s + image pull + model load 14.195 s. The pool's one model
    /// has a 100 MB artifact; the repository is one link away (latency 5 ms, 1 Gbps):
    /// pull = 0.005 + 8·10⁸ / 10⁹ = 0.805 s, so each instance serves 25 s after launch, as in
    /// the single-distribution case: the same lifetimes.
    func testBootSplitIntoVMBootPullAndLoad() throws {
        var config = Self.stepScenario(cooldown: 30)
        config.models[0].artifactBytes = 100e6
        config.nodes[0].autoscaling?.boot = .deterministic(value: 10)
        config.nodes[0].autoscaling?.pullFrom = "repo"
        config.nodes[0].autoscaling?.modelLoad = .deterministic(value: 14.195)
        config.nodes.append(NodeSpec(name: "repo", kind: .repository, workers: 1))
        config.links = [LinkSpec(a: "repo", b: "pool", latency: .deterministic(value: 0.005), bandwidthBitsPerSecond: 1e9)]
        let lives = try XCTUnwrap(try Simulation(config: config, replication: 0).run().nodes[0].pool).lifetimes
        XCTAssertEqual(lives.map { seconds($0.ready) }, [0, 135, 135, 165])
        XCTAssertEqual(lives.map { seconds($0.termination) }, [nil, 490, 430, 370])
    }
}
