// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// A collaborative deployment's `dispatchWork` and `fusion.work`: jobs at the front node's
/// station, checked against schedules computed by hand (deterministic times, no links, so
/// every figure is exact to the nanosecond), and in the offered load.
final class FrontWorkFlowTests: XCTestCase {
    private let ms = 0.001

    /// Front `f` (one worker) dispatches and fuses; branch `fast` on `a` (10 ms), `slow` on `b`
    /// (20 ms), each node with `workers` workers. `fBranch`: `fast` runs on `f` instead of `a`.
    private func config(arrivals: [Double], dispatch: Double?, fusionWork: Double?, fusionCost: Double? = nil,
                        workers: Int = 1, fastOnFront: Bool = false, deadline: Double? = nil, quorum: Int? = nil,
                        requests: Int) -> ScenarioConfig {
        ScenarioConfig(
            name: "front", seed: 1, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 10 * ms)),
                     ModelSpec(name: "slow", serviceTime: .deterministic(value: 20 * ms))],
            nodes: [NodeSpec(name: "f", kind: .server, workers: 1), NodeSpec(name: "a", kind: .server, workers: workers),
                    NodeSpec(name: "b", kind: .server, workers: workers)],
            deployment: .collaborative(CollaborativeSpec(
                fuseAt: "f",
                branches: [.init(placement: Placement(model: "fast", node: fastOnFront ? "f" : "a")),
                           .init(placement: Placement(model: "slow", node: "b"))],
                fusion: FusionSpec(method: .mean, deadline: deadline, quorum: quorum, onQuorumMissed: deadline == nil ? .wait : .fail,
                                   cost: fusionCost.map { .deterministic(value: $0) }, work: fusionWork.map { .deterministic(value: $0) }),
                dispatchWork: dispatch.map { .deterministic(value: $0) })),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: arrivals))])
    }

    private func parts(_ result: ReplicationResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
    }

    /// One request alone: dispatch 0.3 ms at `f`, then both branches (the slow one, 20 ms, is
    /// critical), then fusion 0.5 ms at `f`: latency 20.8 ms exactly; the breakdown has the
    /// dispatch in `service` (0.3 + 20 ms), the fusion in `fusion_wait` (0.5 ms), nothing else;
    /// `f` served two jobs.
    func testOneRequestPaysDispatchBranchAndFusionWorkExactly() throws {
        let result = try Simulation(config: config(arrivals: [0, 10], dispatch: 0.3 * ms, fusionWork: 0.5 * ms,
                                                   requests: 1), replication: 0).run()
        XCTAssertEqual(result.completed, 1)
        XCTAssertEqual(result.latency.mean, 20.8 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["service"]!, 20.3 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["fusion_wait"]!, 0.5 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["queueing"]!, 0)
        XCTAssertEqual(parts["network"]!, 0)
        let front = try XCTUnwrap(result.nodes.first { $0.name == "f" })
        XCTAssertEqual(front.completions, 2, "the dispatch and the fusion job")
        XCTAssertEqual(front.utilization * result.measuredSeconds, 0.8 * ms, accuracy: 1e-9, "busy 0.3 + 0.5 ms")
    }

    /// Two requests 1 ms apart, branches on two workers each (no queue there), fusion work 2 ms
    /// on `f`'s one worker, no dispatch work: request 1's answers are in at 20 ms and it fuses
    /// 20–22 ms (latency 22); request 2's at 21 ms, it waits for the worker until 22 and fuses
    /// 22–24 ms (latency 23). Mean 22.5 ms, max 23 ms, `fusion_wait` mean 2.5 ms. The same
    /// 2 ms as `cost` (a delay) lets both fuse at once: 22 ms each.
    func testFusionWorksQueueOnAOneWorkerFront() throws {
        let queued = try Simulation(config: config(arrivals: [0, ms, 5], dispatch: nil, fusionWork: 2 * ms, workers: 2,
                                                   requests: 2), replication: 0).run()
        XCTAssertEqual(queued.completed, 2)
        XCTAssertEqual(queued.latency.mean, 22.5 * ms, accuracy: 1e-12)
        XCTAssertEqual(queued.latency.max, 23 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts(queued)["fusion_wait"]!, 2.5 * ms, accuracy: 1e-12)
        XCTAssertEqual(queued.wait.mean, 0.5 * ms, accuracy: 1e-12, "request 2's fusion waited 1 ms")
        let delayed = try Simulation(config: config(arrivals: [0, ms, 5], dispatch: nil, fusionWork: nil, fusionCost: 2 * ms,
                                                    workers: 2, requests: 2), replication: 0).run()
        XCTAssertEqual(delayed.latency.mean, 22 * ms, accuracy: 1e-12)
        XCTAssertEqual(delayed.latency.max, 22 * ms, accuracy: 1e-12)
    }

    /// The dispatch work shares `f`'s one worker with the branch `fast` placed there. Request 1
    /// arrives at 0, request 2 at 0.5 ms; dispatch 1 ms, fusion 0.5 ms. On `f`: dispatch 1
    /// 0–1, dispatch 2 1–2 (it waited 0.5 ms), `fast` 1 2–12, `fast` 2 12–22; on `b`: `slow` 1
    /// 1–21, `slow` 2 2 → 21–41. Request 1's answers are in at 21, its fusion waits for the
    /// worker until 22 and ends at 22.5 (latency 22.5 ms: service 1 + 20, fusion_wait 1.5);
    /// request 2 fuses 41–41.5 (latency 41 ms: queueing 0.5 + 19, service 21, fusion_wait 0.5).
    func testDispatchWorkQueuesWithABranchOnTheSameWorker() throws {
        let result = try Simulation(config: config(arrivals: [0, 0.5 * ms, 5], dispatch: ms, fusionWork: 0.5 * ms,
                                                   fastOnFront: true, requests: 2), replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.latency.mean, (22.5 + 41) / 2 * ms, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 41 * ms, accuracy: 1e-12)
        let parts = parts(result)
        XCTAssertEqual(parts["queueing"]!, 19.5 / 2 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 21 * ms, accuracy: 1e-12, "dispatch 1 + slow 20, both requests")
        XCTAssertEqual(parts["fusion_wait"]!, 1 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts["network"]!, 0)
    }

    /// Only the requests that fuse bring a fusion job: with a 25 ms deadline, quorum 2 and
    /// `fail` (one worker on `a` and `b`), request 1 (at 0) has both answers at 20 ms and fuses
    /// 20–20.5; request 2 (at 1 ms) waits for `a` until 10 and for `b` until 20, so at its
    /// deadline (26 ms) it has one answer (20 ms) and fails (dropped); request 3 (at 100 ms)
    /// fuses 120–120.5. `f` (fusion work only) saw 2 jobs and
    /// was busy 1 ms — not the 3 jobs and 1.5 ms the a-priori offered load counts (its ρ
    /// assumes every request fuses: the quorum misses are not known before the run).
    func testOnlyTheRequestsThatFuseBringAFusionJob() throws {
        let result = try Simulation(config: config(arrivals: [0, ms, 100 * ms, 5], dispatch: nil, fusionWork: 0.5 * ms,
                                                   deadline: 25 * ms, quorum: 2, requests: 2),
                                    replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.dropped, 1, "request 2 missed its quorum")
        XCTAssertEqual(result.latency.mean, 20.5 * ms, accuracy: 1e-12)
        let front = try XCTUnwrap(result.nodes.first { $0.name == "f" })
        XCTAssertEqual(front.arrivals, 2, "a fusion job per fused request")
        XCTAssertEqual(front.completions, 2)
        XCTAssertEqual(front.utilization * result.measuredSeconds, 1 * ms, accuracy: 1e-9, "busy 2 × 0.5 ms")
    }

    /// ρ of the front node and of its host count λ · (E[dispatch] + E[fusion]) on top of the
    /// placements: 50/s · (0.3 + 0.5 ms) = 0.04 on `f` (no placement); with `f` and `a` on a
    /// 2-core host, (0.04 + 50 · 10 ms) / 2 = 0.27.
    func testOfferedLoadCountsTheFrontWork() throws {
        var spec = config(arrivals: [0], dispatch: 0.3 * ms, fusionWork: 0.5 * ms, requests: 1)
        spec.workloads = [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))]
        let loads = Dictionary(uniqueKeysWithValues: OfferedLoad.perNode(spec).map { ($0.node, $0.load) })
        XCTAssertEqual(loads["f"]!, 0.04, accuracy: 1e-12)
        XCTAssertEqual(loads["a"]!, 0.5, accuracy: 1e-12)
        spec.hosts = [HostSpec(name: "h", cores: 2)]
        spec.nodes[0].host = "h"
        spec.nodes[1].host = "h"
        let host = try XCTUnwrap(OfferedLoad.hostEstimates(spec).first)
        XCTAssertEqual(host.load, 0.27, accuracy: 1e-12)
    }

    /// The front's work is CPU time on its node, slowed by the node's power mode like a
    /// model's there: at speed 0.5 the dispatch (0.3 ms) takes 0.6 ms and the fusion (0.5 ms)
    /// 1 ms, so the request alone takes 0.6 + 20 + 1 = 21.6 ms (20.8 at full speed); the
    /// offered load doubles likewise, 50/s · 0.8 ms / 0.5 = 0.08.
    func testAPowerModeSlowsTheFrontWorkAsItSlowsAModel() throws {
        var spec = config(arrivals: [0, 10], dispatch: 0.3 * ms, fusionWork: 0.5 * ms, requests: 1)
        spec.hardware = [HardwareSpec(name: "module", kind: .gpu,
                                      powerModes: [PowerMode(name: "low", powerCapWatts: 7, speedFactor: 0.5)])]
        spec.nodes[0].hardware = "module"
        spec.nodes[0].powerMode = "low"
        let result = try Simulation(config: spec, replication: 0).run()
        XCTAssertEqual(result.latency.mean, 21.6 * ms, accuracy: 1e-12)
        XCTAssertEqual(parts(result)["service"]!, 20.6 * ms, accuracy: 1e-12, "dispatch 0.6 + slow 20")
        XCTAssertEqual(parts(result)["fusion_wait"]!, 1 * ms, accuracy: 1e-12)
        spec.workloads = [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 50))]
        let loads = Dictionary(uniqueKeysWithValues: OfferedLoad.perNode(spec).map { ($0.node, $0.load) })
        XCTAssertEqual(loads["f"]!, 0.08, accuracy: 1e-12)
    }

    /// On a shared host the front's work and the branch `fast` on `a` are the host's load:
    /// dispatch 1 ms at `f` alone (0–1), `fast` 1–11 on `a` alone, the fusion 0.5 ms at 21: no
    /// overlap, latency 21.5 ms; the host was busy 11.5 ms (dispatch, fast, fusion), whether it
    /// is simulated (1 core: two slots can contend) or never slows anything (2 cores: its busy
    /// time is its nodes', the front's included).
    func testFrontWorkRunsOnTheSharedHost() throws {
        for cores in [1, 2] {
            var spec = config(arrivals: [0, 10], dispatch: ms, fusionWork: 0.5 * ms, requests: 1)
            spec.hosts = [HostSpec(name: "h", cores: cores)]
            spec.nodes[0].host = "h"
            spec.nodes[1].host = "h"
            let result = try Simulation(config: spec, replication: 0).run()
            XCTAssertEqual(result.latency.mean, 21.5 * ms, accuracy: 1e-12, "\(cores) cores")
            let host = try XCTUnwrap(result.hosts.first)
            XCTAssertEqual(host.busyCoreSeconds, 11.5 * ms, accuracy: 1e-9, "\(cores) cores")
        }
    }
}
