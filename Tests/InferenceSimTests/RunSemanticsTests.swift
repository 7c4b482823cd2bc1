// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel

/// What `run.requests`, `run.duration` and the warm-up settings mean, and reproducibility.
final class RunSemanticsTests: XCTestCase {
    private func single(_ run: RunSettings, seed: UInt64 = 5, rate: Double = 2, workers: Int = 1) -> ScenarioConfig {
        ScenarioBuilders.singleStation(name: "semantics", rate: rate, service: .exponential(mean: 0.25),
                                       workers: workers, run: run, seed: seed)
    }

    /// `requests: N` measures exactly N completions after `warmupRequests` completions.
    func testRequestsCountsCompletionsAfterWarmup() throws {
        let result = try Simulation(config: single(RunSettings(requests: 5_000, warmupRequests: 700)),
                                    replication: 0).run()
        XCTAssertEqual(result.completed, 5_000)
        XCTAssertEqual(result.latencyHistogram.count, 5_000)
        XCTAssertEqual(result.conservation.completed, 5_700)
        XCTAssertTrue(result.conservation.holds)
        XCTAssertGreaterThan(result.measurementStart, 0)
    }

    /// `duration: D` measures exactly D simulated seconds after warm-up; the number of
    /// completions then has mean λ·D (Poisson λ = 2/s, D = 5000 s ⇒ 10,000 ± 3·√10,000).
    func testDurationMeasuresSimulatedTime() throws {
        let result = try Simulation(config: single(RunSettings(duration: 5_000, warmupRequests: 100)),
                                    replication: 0).run()
        XCTAssertEqual(result.measuredSeconds, 5_000, accuracy: 1e-9)
        XCTAssertEqual(Double(result.completed), 10_000, accuracy: 300)
        XCTAssertTrue(result.conservation.holds)
    }

    /// A warm-up given as time starts measurement at exactly that time.
    func testWarmupDurationStartsMeasurementAtThatTime() throws {
        let result = try Simulation(config: single(RunSettings(duration: 100, warmupDuration: 50)), replication: 0).run()
        XCTAssertEqual(result.measurementStart, 50, accuracy: 1e-9)
        XCTAssertEqual(result.measuredSeconds, 100, accuracy: 1e-9)
    }

    /// Same scenario, seed and replication ⇒ identical numbers; another replication or seed
    /// ⇒ different ones.
    func testSameSeedSameNumbersOtherSeedOtherNumbers() throws {
        let run = RunSettings(requests: 3_000, warmupRequests: 100)
        let a = try Simulation(config: single(run), replication: 0).run()
        let b = try Simulation(config: single(run), replication: 0).run()
        XCTAssertEqual(a.latency.mean, b.latency.mean)
        XCTAssertEqual(a.latency.max, b.latency.max)
        XCTAssertEqual(a.events, b.events)
        let otherReplication = try Simulation(config: single(run), replication: 1).run()
        XCTAssertNotEqual(a.latency.mean, otherReplication.latency.mean)
        let otherSeed = try Simulation(config: single(run, seed: 6), replication: 0).run()
        XCTAssertNotEqual(a.latency.mean, otherSeed.latency.mean)
    }

    /// Reporting progress slices the run loop at simulated-time limits: the events and every
    /// number must be exactly those of an uninterrupted run, and the fractions reported must
    /// rise monotonically to 1 (here with warm-up by time and by requests, and by duration).
    func testProgressReportingChangesNothing() throws {
        for run in [RunSettings(requests: 300_000, warmupRequests: 500), RunSettings(duration: 40_000, warmupDuration: 30)] {
            let plain = try Simulation(config: single(run), replication: 0).run()
            var fractions: [Double] = []
            let reported = try Simulation(config: single(run), replication: 0).run { fractions.append($0) }
            XCTAssertEqual(reported.events, plain.events)
            XCTAssertEqual(reported.completed, plain.completed)
            XCTAssertEqual(reported.latency.mean, plain.latency.mean)
            XCTAssertEqual(reported.latency.max, plain.latency.max)
            XCTAssertEqual(reported.measuredSeconds, plain.measuredSeconds)
            XCTAssertEqual(reported.nodes.map(\.utilization), plain.nodes.map(\.utilization))
            // 300,000 requests at 2/s are ~600,000 events: the 1 µs first slice doubles up to
            // seconds, so there are several reports, not one.
            XCTAssertGreaterThan(fractions.count, 5)
            XCTAssertEqual(fractions.last, 1)
            XCTAssertEqual(fractions, fractions.sorted())
        }
    }

    /// Memory follows requests in flight, not requests simulated: at ρ = 0.5 the table of
    /// in-flight requests stays tiny whether 1,000 or 100,000 requests pass.
    func testPeakInFlightDoesNotGrowWithRunLength() throws {
        let short = try Simulation(config: single(RunSettings(requests: 1_000)), replication: 0).run()
        let long = try Simulation(config: single(RunSettings(requests: 100_000)), replication: 0).run()
        XCTAssertLessThan(long.peakInFlight, 60)
        XCTAssertLessThan(short.peakInFlight, 60)
    }

    /// A node offered ρ = λ·E[S]/c ≥ 1 is flagged: here 8/s × 0.25 s / 1 worker = 2.
    func testSaturationIsFlagged() throws {
        let config = single(RunSettings(requests: 500), rate: 8)
        XCTAssertEqual(OfferedLoad.perNode(config).first?.load ?? 0, 2, accuracy: 1e-12)
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.warnings.count, 1)
        XCTAssertTrue(summary.warnings[0].contains("`s`"))
        let stable = single(RunSettings(requests: 500), rate: 2)
        XCTAssertTrue(OfferedLoad.warnings(for: stable).isEmpty)
    }

    /// Offered load counts video frames, distributed shares and power-mode speed:
    /// 2 streams every 2 s × 8 frames × 10 ms = 0.08; in a mode of speed 0.5, 0.16; a part
    /// with share 0.25 of a 1 s job at 1 request/s on 2 workers, 0.125.
    func testOfferedLoadCountsFramesSharesAndSpeed() {
        let hardware = HardwareSpec(name: "h", kind: .gpu, powerModes: [PowerMode(name: "slow", powerCapWatts: 5, speedFactor: 0.5)])
        var video = ScenarioConfig(
            name: "load", seed: 1, run: RunSettings(requests: 10), hardware: [hardware],
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010))],
            nodes: [NodeSpec(name: "s", kind: .edge, workers: 1, hardware: "h")],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .video, arrivals: .streams(count: 2, interval: 2),
                                     video: VideoSpec(fps: 25, segmentSeconds: 2, framesProcessed: 8))])
        XCTAssertEqual(OfferedLoad.perNode(video)[0].load, 0.08, accuracy: 1e-12)
        video.nodes[0].powerMode = "slow"
        XCTAssertEqual(OfferedLoad.perNode(video)[0].load, 0.16, accuracy: 1e-12)
        let split = ScenarioConfig(
            name: "split", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "a", kind: .server, workers: 2), NodeSpec(name: "b", kind: .server, workers: 1)],
            deployment: .distributed(DistributedSpec(aggregator: "a", parts: [
                .init(placement: Placement(model: "m", node: "a"), share: 0.25),
                .init(placement: Placement(model: "m", node: "b"), share: 0.75)])),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 1))])
        XCTAssertEqual(OfferedLoad.perNode(split).map(\.load), [0.125, 0.75])
    }

    /// With one replication the CI comes from batch means; with several, from replication means.
    func testConfidenceIntervalMethod() throws {
        let one = single(RunSettings(requests: 4_000))
        let summary1 = RunSummary(config: one, results: [try Simulation(config: one, replication: 0).run()])
        XCTAssertEqual(summary1.ciMethod, .batchMeans)
        let ci = try XCTUnwrap(summary1.latencyCI95)
        XCTAssertTrue(ci.low < summary1.latency.mean && summary1.latency.mean < ci.high)
        let results = try (0..<3).map { try Simulation(config: one, replication: $0).run() }
        XCTAssertEqual(RunSummary(config: one, results: results).ciMethod, .replications)
    }
}
