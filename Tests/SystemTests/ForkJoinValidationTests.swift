// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Planning
import ScenarioModel

/// The collaborative fan-out against the independent C++ reference engine of
/// shared/bench (scenario `forkjoin3`, SCENARIOS.md S2): Poisson λ = 50/s from a client to
/// three nodes in parallel over pure-delay links (fixed latency + lognormal jitter each way),
/// each node a FIFO queue with c workers and lognormal service; the request completes when
/// the third reply is back. There is no closed form; the reference is the mean of 20 C++
/// replications at N = 500,000 (RESULTS.md): E2E mean 0.20062 s (sd of one replication
/// 2.7e-4, so the reference's own error is 6e-5, negligible here), P(E2E ≤ 150 ms) 0.22777.
/// Method: 12 replications, fixed seed; the reference value must lie inside the Student-t
/// 99 % interval of our replication means.
final class ForkJoinValidationTests: XCTestCase {
    static func forkJoin3(run: RunSettings, deadline: Double? = nil, quorum: Int = 1) -> ScenarioConfig {
        func jitter(_ mean: Double) -> Distribution { .lognormal(mean: mean, cv: 1) }
        let branches: [(name: String, base: Double, service: Double, workers: Int, kind: NodeKind)] = [
            ("edge", 0.002, 0.030, 2, .edge), ("server", 0.005, 0.050, 4, .server), ("cloud", 0.030, 0.120, 8, .cloud),
        ]
        return ScenarioConfig(
            name: "forkjoin3", seed: 99, run: run,
            models: branches.map { ModelSpec(name: "m-\($0.name)", serviceTime: .lognormal(mean: $0.service, cv: 0.5)) },
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1)]
                + branches.map { NodeSpec(name: $0.name, kind: $0.kind, workers: $0.workers) },
            links: branches.map {
                LinkSpec(a: "client", b: $0.name, latency: .deterministic(value: $0.base), jitter: jitter($0.base / 10))
            },
            deployment: .collaborative(CollaborativeSpec(
                fuseAt: "client",
                branches: branches.map { .init(placement: Placement(model: "m-\($0.name)", node: $0.name)) },
                fusion: FusionSpec(method: .mean, deadline: deadline, quorum: deadline == nil ? nil : quorum))),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .poisson(rate: 50))])
    }

    func testForkJoin3AgreesWithTheReferenceEngine() throws {
        let config = Self.forkJoin3(run: RunSettings(requests: 30_000, warmupRequests: 3_000, replications: 12))
        let outcome = try ReplicationRunner.run(config, jobs: 2)
        let means = outcome.results.map(\.latency.mean)
        let ci = try ConfidenceInterval.forMean(of: means, level: 0.99)
        XCTAssertTrue(ci.contains(0.20062), "E2E mean: reference 0.20062 outside [\(ci.low), \(ci.high)]")
        XCTAssertLessThan(ci.halfWidth, 0.01)
        let fractions = outcome.results.map { $0.latencyHistogram.fraction(atOrBelow: 150_000_000) }
        let fractionCI = try ConfidenceInterval.forMean(of: fractions, level: 0.99)
        // The histogram puts 150 ms in a bucket 0.1 % wide: widen by that much of the density.
        XCTAssertEqual(fractionCI.mean, 0.22777, accuracy: fractionCI.halfWidth + 0.002)
        for result in outcome.results {
            XCTAssertTrue(result.conservation.holds)
            XCTAssertEqual(result.answersJoined, [0, 0, 0, result.completed])
            XCTAssertEqual(result.nodes.map(\.name), ["edge", "server", "cloud"])
        }
        // Node utilisations follow from λ·E[S]/c: 0.75, 0.625, 0.75.
        let utilization = outcome.summary.nodes.map(\.utilization)
        XCTAssertEqual(utilization[0], 0.75, accuracy: 0.02)
        XCTAssertEqual(utilization[1], 0.625, accuracy: 0.02)
        XCTAssertEqual(utilization[2], 0.75, accuracy: 0.02)
    }

    /// Quorum 0, as the reference `forkjoin3d`: every request is answered by 150 ms, some
    /// with no model answer at all (the reference measures 0.27 % of them).
    func testQuorumZeroAnswersAtTheDeadlineEvenWithoutAnswers() throws {
        let config = Self.forkJoin3(run: RunSettings(requests: 30_000, warmupRequests: 3_000, replications: 2),
                                    deadline: 0.150, quorum: 0)
        for result in try ReplicationRunner.run(config, jobs: 2).results {
            XCTAssertLessThanOrEqual(result.latency.max, 0.150 + 1e-9)
            XCTAssertGreaterThan(result.answersJoined[0], 0)
            XCTAssertLessThan(Double(result.answersJoined[0]) / Double(result.completed), 0.01)
        }
    }

    /// `forkjoin3d`: a 150 ms deadline with quorum 1. Late branches are not cancelled, so the
    /// nodes behave exactly as without a deadline, and the fraction of requests with all three
    /// answers by the deadline estimates P(E2E ≤ 150 ms) of `forkjoin3` (0.22777). Late
    /// answers are counted; every answer is either joined or late.
    func testDeadlineFusesWhatHasArrived() throws {
        let config = Self.forkJoin3(run: RunSettings(requests: 30_000, warmupRequests: 3_000, replications: 6),
                                    deadline: 0.150)
        let outcome = try ReplicationRunner.run(config, jobs: 2)
        let complete = outcome.results.map { Double($0.answersJoined[3]) / Double($0.completed) }
        let ci = try ConfidenceInterval.forMean(of: complete, level: 0.99)
        XCTAssertTrue(ci.contains(0.22777), "all three in time: reference 0.22777 outside [\(ci.low), \(ci.high)]")
        for result in outcome.results {
            // Nothing fuses before 150 ms unless all three answers are in, and at 150 ms the
            // quorum of 1 is met unless no answer came at all (then the first one is awaited):
            // the edge branch answers within 150 ms almost always, so at most 1 % of requests
            // take longer, and none is ever fused from 0 answers.
            XCTAssertGreaterThan(result.latencyHistogram.fraction(atOrBelow: 150_000_000), 0.99)
            XCTAssertEqual(result.answersJoined[0], 0)
            XCTAssertEqual(result.answersJoined.reduce(0, +), result.completed)
            XCTAssertGreaterThan(result.lateAnswers, 0)
        }
    }
}
