// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// `callOverheadScaling: {by: utilization}`: each call's drawn `callOverhead` times f(ρ of the
/// called node), ρ from the scenario as `serviceTimeScaling` takes it, folded in at build time.
///
/// The set-up: one request every 100 ms (`streams`, λ = 10/s) to one-worker servers with
/// deterministic service: no request ever waits, so latency = overheads + service times, and
/// a call's overhead d grows the latency by exactly (f(ρ) − 1) · d (integer nanoseconds).
final class CallOverheadScalingTests: XCTestCase {
    /// λ = 10/s; ρ of a stage = 10/s · (service + serverWork).
    private func chain(_ services: [Double], serverWork: Double? = nil, scaling: CallOverheadScaling?,
                       overhead: Distribution = .deterministic(value: 0.002), requests: Int = 200) -> ScenarioConfig {
        let models = services.enumerated().map { ModelSpec(name: "m\($0)", serviceTime: .deterministic(value: $1), outputBytes: 100) }
        let nodes = [NodeSpec(name: "client", kind: .client, workers: 1)]
            + services.indices.map { NodeSpec(name: "s\($0)", kind: .server, workers: 1) }
        let stages = services.indices.map { Placement(model: "m\($0)", node: "s\($0)", via: .grpc) }
        var config = ScenarioConfig(
            name: "overhead-scaling", seed: 5, run: RunSettings(requests: requests), models: models, nodes: nodes, links: [],
            deployment: stages.count == 1 ? .single(stages[0]) : .pipeline(stages),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .streams(count: 1, interval: 0.1),
                                     payloadBytes: .deterministic(value: 1000))])
        var grpc = ProtocolSpec(call: .grpc, codecSecondsPerByte: 0)
        grpc.callOverhead = overhead
        grpc.serverWork = serverWork.map { .deterministic(value: $0) }
        grpc.callOverheadScaling = scaling
        config.protocols = [grpc]
        return config
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// Points (0.05, 1), (0.15, 2). One 10 ms stage: ρ = 10 · 0.010 = 0.1, f = 1 + (0.1 − 0.05)
    /// / 0.1 = 1.5, so every latency grows by 0.5 · 2 ms = 1 ms against the unscaled run.
    /// With serverWork 5 ms, ρ = 10 · 0.015 = 0.15 (serverWork counts, as for
    /// `serviceTimeScaling`): f = 2, +2 ms. The protocol (serialization) time grows by the same.
    func testTheLatencyGrowsByTheScaledPartOfTheOverhead() throws {
        let scaling = CallOverheadScaling(points: [.init(x: 0.05, factor: 1), .init(x: 0.15, factor: 2)])
        let plain = try run(chain([0.010], scaling: nil))
        let scaled = try run(chain([0.010], scaling: scaling))
        XCTAssertEqual(plain.latency.min, 0.012, accuracy: 1e-12, "no wait: 2 ms overhead + 10 ms service")
        XCTAssertEqual(scaled.latency.mean - plain.latency.mean, 0.001, accuracy: 1e-12)
        XCTAssertEqual(scaled.latency.min - plain.latency.min, 0.001, accuracy: 1e-12)
        XCTAssertEqual(scaled.latency.max - plain.latency.max, 0.001, accuracy: 1e-12)
        XCTAssertEqual(scaled.breakdown.totals.serialization - plain.breakdown.totals.serialization,
                       Int128(scaled.breakdown.count) * 1_000_000)
        let plainWork = try run(chain([0.010], serverWork: 0.005, scaling: nil))
        let scaledWork = try run(chain([0.010], serverWork: 0.005, scaling: scaling))
        XCTAssertEqual(scaledWork.latency.mean - plainWork.latency.mean, 0.002, accuracy: 1e-12)
        XCTAssertEqual(scaledWork.latency.max - plainWork.latency.max, 0.002, accuracy: 1e-12)
    }

    /// x is the **called** node's load: a pipeline of 10 ms (ρ = 0.1) then 30 ms (ρ = 0.3), both
    /// called over grpc with 2 ms, points (0.1, 1), (0.3, 2): the first call keeps f = 1, the
    /// second doubles, +2 ms. Below the first point the factor is the first point's (flat):
    /// points (0.5, 3), (0.9, 4) give f = 3 to both calls, +8 ms.
    func testEachCallTakesItsCalledNodesLoad() throws {
        let plain = try run(chain([0.010, 0.030], scaling: nil))
        let scaled = try run(chain([0.010, 0.030], scaling: CallOverheadScaling(points: [.init(x: 0.1, factor: 1), .init(x: 0.3, factor: 2)])))
        XCTAssertEqual(plain.latency.min, 0.044, accuracy: 1e-12, "2 + 10 + 2 + 30 ms")
        XCTAssertEqual(scaled.latency.mean - plain.latency.mean, 0.002, accuracy: 1e-12)
        let flat = try run(chain([0.010, 0.030], scaling: CallOverheadScaling(points: [.init(x: 0.5, factor: 3), .init(x: 0.9, factor: 4)])))
        XCTAssertEqual(flat.latency.mean - plain.latency.mean, 0.008, accuracy: 1e-12)
    }

    /// The factor multiplies each draw of the same stream: a drawn exponential overhead (mean 2
    /// ms) scaled by f = 1.5 grows the mean latency by 0.5 × the unscaled runs' mean overhead
    /// exactly (same draws; to the nanosecond rounding of each of 200 draws: < 1e-9 s in the
    /// mean). Same seed, same results; f ≡ 1 gives the unscaled run's results exactly.
    func testSameDrawsScaledAndSameSeedSameResults() throws {
        let scaling = CallOverheadScaling(points: [.init(x: 0.05, factor: 1), .init(x: 0.15, factor: 2)])
        let overhead = Distribution.exponential(mean: 0.002)
        let plain = try run(chain([0.010], scaling: nil, overhead: overhead))
        let scaled = try run(chain([0.010], scaling: scaling, overhead: overhead))
        let drawnMean = plain.latency.mean - 0.010
        XCTAssertEqual(scaled.latency.mean - plain.latency.mean, 0.5 * drawnMean, accuracy: 1e-9)
        let again = try run(chain([0.010], scaling: scaling, overhead: overhead))
        XCTAssertEqual(again.latency.mean, scaled.latency.mean)
        XCTAssertEqual(again.latency.max, scaled.latency.max)
        XCTAssertEqual(again.breakdown.totals, scaled.breakdown.totals)
        let one = try run(chain([0.010], scaling: CallOverheadScaling(points: [.init(x: 0, factor: 1)]), overhead: overhead))
        XCTAssertEqual(one.latency.mean, plain.latency.mean)
        XCTAssertEqual(one.latency.max, plain.latency.max)
        XCTAssertEqual(one.breakdown.totals, plain.breakdown.totals)
    }
}
