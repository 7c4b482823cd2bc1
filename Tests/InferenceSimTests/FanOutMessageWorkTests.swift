// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A collaborative deployment's front work one message at a time: `sendWork` (a write per
/// branch call at the dispatch node, the call leaving when its own write is done) and
/// `fusion.readWork` (a read per answer at `fuseAt`, queued when the answer arrives; the answer
/// counts for the join when its read is done). Checked against schedules computed by hand:
/// deterministic times, no links, so every figure is exact to the nanosecond.
final class FanOutMessageWorkTests: XCTestCase {
    private let ms = 0.001

    /// Front `f` (one worker) dispatches and fuses: dispatch 0.3 ms, a write 0.1 ms per call, a
    /// read 0.2 ms per answer, fusion 0.5 ms. Branches in order `models` (`fast` 10 ms on `a`,
    /// `slow` 20 ms on `b`, `even` 10 ms on `b`), each node with one worker.
    private func config(arrivals: [Double], models: [String], deadline: Double? = nil, quorum: Int? = nil,
                        requests: Int) -> ScenarioConfig {
        let nodeOf = ["fast": "a", "slow": "b", "even": "b"]
        return ScenarioConfig(
            name: "messages", seed: 1, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 10 * ms)),
                     ModelSpec(name: "slow", serviceTime: .deterministic(value: 20 * ms)),
                     ModelSpec(name: "even", serviceTime: .deterministic(value: 10 * ms))],
            nodes: [NodeSpec(name: "f", kind: .server, workers: 1), NodeSpec(name: "a", kind: .server, workers: 1),
                    NodeSpec(name: "b", kind: .server, workers: 1)],
            deployment: .collaborative(CollaborativeSpec(
                fuseAt: "f",
                branches: models.map { .init(placement: Placement(model: $0, node: nodeOf[$0]!)) },
                fusion: FusionSpec(method: .mean, deadline: deadline, quorum: quorum, work: .deterministic(value: 0.5 * ms),
                                   readWork: .deterministic(value: 0.2 * ms)),
                dispatchWork: .deterministic(value: 0.3 * ms), sendWork: .deterministic(value: 0.1 * ms))),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: arrivals))])
    }

    private func parts(_ result: ReplicationResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
    }

    /// Branches fast, slow. On `f`: dispatch 0–0.3, write fast 0.3–0.4 (it leaves: done at
    /// 10.4), write slow 0.4–0.5 (done at 20.5), read fast 10.4–10.6 (while the front waits for
    /// slow), read slow 20.5–20.7, fusion 20.7–21.2: latency 21.2 ms = dispatch + both writes +
    /// slow + its read + fusion. The breakdown follows slow: queueing 0.1 (the write of fast's
    /// call before its own), service 0.3 + 0.1 + 20, fusion_wait 0.2 + 0.5 (from slow's arrival
    /// to the departure), network 0. `f` served 6 jobs, busy 0.3 + 2 × 0.1 + 2 × 0.2 + 0.5 ms.
    func testTheCriticalPathHoldsEachMessageOnce() throws {
        let result = try Simulation(config: config(arrivals: [0, 10], models: ["fast", "slow"], requests: 1),
                                    replication: 0).run()
        XCTAssertEqual(result.completed, 1)
        XCTAssertEqual(result.latency.mean, 21.2 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["queueing"]!, 0.1 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 20.4 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["fusion_wait"]!, 0.7 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["network"]!, 0, accuracy: 1e-12)
        XCTAssertEqual(result.wait.mean, 0, accuracy: 1e-12, "no message waited for the worker")
        let front = try XCTUnwrap(result.nodes.first { $0.name == "f" })
        XCTAssertEqual(front.completions, 6, "dispatch, two writes, two reads, fusion")
        XCTAssertEqual(front.utilization * result.measuredSeconds, 1.4 * ms, accuracy: 1e-9)
    }

    /// Branches slow, fast: slow's call leaves after its own write (0.4), before fast's is
    /// written; fast's answer (10.5) is read 10.5–10.7 while the front waits; slow's (20.4) is
    /// read 20.4–20.6, fused 20.6–21.1: latency 21.1 ms. The same front as one job each — the
    /// dispatch with both writes (0.5 ms), the fusion with both reads (0.9 ms) — gives
    /// 0.5 + 20 + 0.9 = 21.4 ms: one write and one read more on the critical path.
    func testTheFirstCallLeavesAfterItsOwnWriteAndTheFirstAnswerIsReadDuringTheWait() throws {
        let spec = config(arrivals: [0, 10], models: ["slow", "fast"], requests: 1)
        let result = try Simulation(config: spec, replication: 0).run()
        XCTAssertEqual(result.latency.mean, 21.1 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["queueing"]!, 0, accuracy: 1e-12, "slow's write is the first")
        XCTAssertEqual(parts["service"]!, 20.4 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["fusion_wait"]!, 0.7 * ms, accuracy: 1e-12)
        var oneJobEach = spec
        guard case .collaborative(var collaborative) = spec.deployment else { return XCTFail("not collaborative") }
        collaborative.sendWork = nil
        collaborative.fusion.readWork = nil
        collaborative.dispatchWork = .deterministic(value: 0.5 * ms)
        collaborative.fusion.work = .deterministic(value: 0.9 * ms)
        oneJobEach.deployment = .collaborative(collaborative)
        let before = try Simulation(config: oneJobEach, replication: 0).run()
        XCTAssertEqual(before.latency.mean, 21.4 * ms, accuracy: 1e-12)
    }

    /// Two answers close together queue for the front's one worker: branches fast (on `a`) and
    /// even (on `b`), both 10 ms. Fast leaves at 0.4, even at 0.5; fast's answer (10.4) is read
    /// 10.4–10.6, even's (10.5) waits 0.1 ms and is read 10.6–10.8; fusion 10.8–11.3: latency
    /// 11.3 ms; wait_s 0.1 ms (the read's wait); the breakdown follows even: queueing 0.1 (fast's
    /// write), service 0.3 + 0.1 + 10, fusion_wait 11.3 − 10.5 = 0.8.
    func testReadsOfAnswersArrivingTogetherQueue() throws {
        let result = try Simulation(config: config(arrivals: [0, 10], models: ["fast", "even"], requests: 1),
                                    replication: 0).run()
        XCTAssertEqual(result.latency.mean, 11.3 * ms, accuracy: 1e-12)
        XCTAssertEqual(result.wait.mean, 0.1 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["queueing"]!, 0.1 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 10.4 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["fusion_wait"]!, 0.8 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["network"]!, 0, accuracy: 1e-12)
    }

    /// An answer counts for a deadline's quorum when its read is done. Deadline 10.2 ms after
    /// the dispatch (0.3), quorum 1, branches fast, slow: at the deadline (10.5) fast's answer
    /// is in (10.4) but still being read (10.4–10.6), so the join waits for the read and fuses
    /// 10.6–11.1 (latency 11.1 ms; counted on arrival it would fuse at 10.5: 11.0). Slow's answer
    /// (20.5) comes after the join: late, and not read. Two such requests, 1 s apart: both
    /// 11.1 ms, the first's late answer counted (the run ends at the second's completion, before
    /// its own), and `f` served 5 jobs per request (no read of a late answer).
    func testAQuorumCountsAnAnswerWhenItsReadIsDone() throws {
        let result = try Simulation(config: config(arrivals: [0, 1, 5], models: ["fast", "slow"], deadline: 10.2 * ms,
                                                   quorum: 1, requests: 2), replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.latency.mean, 11.1 * ms, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 11.1 * ms, accuracy: 1e-12)
        XCTAssertEqual(result.lateAnswers, 1)
        let front = try XCTUnwrap(result.nodes.first { $0.name == "f" })
        XCTAssertEqual(front.completions, 10, "per request: dispatch, two writes, one read, fusion")
    }

    /// A request that joins before its calls are written sends none of them: deadline 0.05 ms
    /// after the dispatch with quorum 0 (it answers with no model's answer). At 0.35 the request
    /// joins while fast's call is being written (0.3–0.4); the fusion queues behind that write
    /// and runs 0.4–0.9 (latency 0.9 ms); when the write is done the request has joined, so
    /// neither fast's call nor slow's (not yet written) leaves: the branches serve nothing.
    func testNoCallLeavesAfterTheJoin() throws {
        let result = try Simulation(config: config(arrivals: [0, 1, 5], models: ["fast", "slow"], deadline: 0.05 * ms,
                                                   quorum: 0, requests: 2), replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.latency.mean, 0.9 * ms, accuracy: 1e-12)
        let served = Dictionary(uniqueKeysWithValues: result.nodes.map { ($0.name, $0.completions) })
        XCTAssertEqual(served["a"], 0)
        XCTAssertEqual(served["b"], 0)
        XCTAssertEqual(served["f"], 6, "per request: dispatch, the first write, fusion")
    }

    /// A write slowed by sharing a core is booked like its work. `f` and `a` on a 1-core host,
    /// branches fast (on `a`), slow (on `b`, off the host): dispatch 0–0.3 and fast's write
    /// 0.3–0.4 alone; then fast (on `a`) and slow's write (on `f`) share the core, so the write
    /// (0.1 ms of work) ends at 0.6, slowed 0.1; fast, 0.1 ms done by then, ends at 10.5 and is
    /// read 10.5–10.7; slow leaves at 0.6, answers at 20.6, is read 20.6–20.8 and fused
    /// 20.8–21.3: latency 21.3 ms. Along slow: queueing 0.1 (fast's write), service 0.3 + 0.2
    /// (its write with the slowdown) + 20, fusion_wait 0.7, network 0.
    func testAWriteSlowedOnASharedHostIsBookedLikeItsWork() throws {
        var spec = config(arrivals: [0, 10], models: ["fast", "slow"], requests: 1)
        spec.hosts = [HostSpec(name: "h", cores: 1)]
        spec.nodes[0].host = "h"
        spec.nodes[1].host = "h"
        let result = try Simulation(config: spec, replication: 0).run()
        XCTAssertEqual(result.latency.mean, 21.3 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["queueing"]!, 0.1 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 20.5 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["fusion_wait"]!, 0.7 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["network"]!, 0, accuracy: 1e-12)
    }

    /// ρ of the front counts every message: 50/s · (0.3 + 2 × 0.1 + 2 × 0.2 + 0.5 ms) = 0.07.
    func testOfferedLoadCountsAWritePerCallAndAReadPerAnswer() throws {
        var spec = config(arrivals: [0], models: ["fast", "slow"], requests: 1)
        spec.workloads = [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))]
        let loads = Dictionary(uniqueKeysWithValues: OfferedLoad.perNode(spec).map { ($0.node, $0.load) })
        XCTAssertEqual(loads["f"]!, 0.07, accuracy: 1e-12)
    }
}
