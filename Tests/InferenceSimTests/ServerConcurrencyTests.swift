// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// Nodes whose requests share the cores (`concurrency: {model: processorSharing}`) and
/// protocol work on the server's worker (`serverWork`).
final class ServerConcurrencyTests: XCTestCase {
    /// One model on one node `s`, called from `client` over REST (no links: calls take only
    /// their protocol costs, here none but `serverWork`).
    private func scenario(service: Distribution, arrivals: ArrivalProcess, requests: Int, warmup: Int = 0,
                          workers: Int = 1, concurrency: ServerConcurrency? = nil, serverWork: Distribution? = nil,
                          callOverhead: Distribution? = nil) -> ScenarioConfig {
        var server = NodeSpec(name: "s", kind: .server, workers: workers)
        server.concurrency = concurrency
        var config = ScenarioConfig(
            name: "ps", seed: 5, run: RunSettings(requests: requests, warmupRequests: warmup),
            models: [ModelSpec(name: "m", serviceTime: service)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), server], links: [],
            deployment: .single(Placement(model: "m", node: "s", via: .rest)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: arrivals)])
        var rest = ProtocolSpec(call: .rest, requestOverheadBytes: 0, responseOverheadBytes: 0, payloadInflation: 1,
                                codecSecondsPerByte: 0, setupRoundTrips: 0)
        rest.serverWork = serverWork
        rest.callOverhead = callOverhead
        config.protocols = [rest]
        return config
    }

    private func run(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// With `maxInFlight` = `cores` no job is ever slowed down (n ≤ c: rate 1), so a
    /// processor-sharing node is exactly c FIFO workers: the same draws in the same order give
    /// the same latencies and utilisation, to the last bit.
    func testAsManySlotsAsCoresIsFIFOWorkers() throws {
        let fifo = try run(scenario(service: .exponential(mean: 0.010), arrivals: .poisson(rate: 150), requests: 20_000,
                                    workers: 2))
        let shared = try run(scenario(service: .exponential(mean: 0.010), arrivals: .poisson(rate: 150), requests: 20_000,
                                      concurrency: .processorSharing(cores: 2, maxInFlight: 2)))
        XCTAssertGreaterThan(fifo.wait.mean, 0.001, "the reference must queue")
        XCTAssertEqual(shared.latency.mean, fifo.latency.mean)
        XCTAssertEqual(shared.latency.max, fifo.latency.max)
        XCTAssertEqual(shared.wait.mean, fifo.wait.mean)
        XCTAssertEqual(shared.nodes.first { $0.name == "s" }?.utilization, fifo.nodes.first { $0.name == "s" }?.utilization)
        XCTAssertEqual(shared.nodes.first { $0.name == "s" }?.workers, 2)
    }

    /// M/M/1-PS through the whole simulator: E[T] = E[S] / (1 − ρ) = 10 ms / 0.4 = 25 ms at
    /// ρ = 0.6 (insensitive to the service distribution, so also with deterministic service,
    /// where FIFO would give E[S] + ρE[S] / (2(1 − ρ)) = 17.5 ms). Estimate: 200,000 measured
    /// requests after 20,000 of warm-up, 20 batch means, Student-t 99.9 % interval
    /// (t₁₉,0.9995 = 3.883); the oracle must be inside it and the interval within ±5 %. Fixed
    /// seed: deterministic. Utilisation = ρ (busy core-time over core-time), within 2 %.
    func testOneCoreMatchesTheProcessorSharingMean() throws {
        for service in [Distribution.exponential(mean: 0.010), .deterministic(value: 0.010)] {
            let result = try run(scenario(service: service, arrivals: .poisson(rate: 60), requests: 200_000, warmup: 20_000,
                                          concurrency: .processorSharing(cores: 1, maxInFlight: Int.max)))
            let means = result.batches.map(\.latencyMean)
            XCTAssertEqual(means.count, 20)
            let mean = means.reduce(0, +) / Double(means.count)
            let variance = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(means.count - 1)
            let halfWidth = 3.883 * (variance / Double(means.count)).squareRoot()
            XCTAssertLessThan(abs(mean - 0.025), halfWidth, "\(service): \(mean) ± \(halfWidth)")
            XCTAssertLessThan(halfWidth, 0.05 * 0.025)
            XCTAssertEqual(result.wait.mean, 0, "no slot limit: nothing waits for a slot")
            XCTAssertEqual(result.nodes.first { $0.name == "s" }!.utilization, 0.6, accuracy: 0.012)
            // The slowdown from sharing is service time: queueing 0, service = latency.
            XCTAssertEqual(result.breakdown.totals.queueing, 0)
            XCTAssertEqual(result.breakdown.totals.service, result.breakdown.totals.total)
        }
    }

    /// `serverWork` occupies the worker. Deterministic: 10 ms of service and 2 ms of server
    /// work, one request every 100 ms → utilisation exactly 12 / 100 and every latency 12 ms
    /// (booked as service). A `callOverhead` of 2 ms instead delays the call by as much but
    /// leaves the worker at 10 / 100.
    func testServerWorkCountsInUtilisation() throws {
        let arrivals = ArrivalProcess.streams(count: 1, interval: 0.1)
        let server = try run(scenario(service: .deterministic(value: 0.010), arrivals: arrivals, requests: 1000,
                                      serverWork: .deterministic(value: 0.002)))
        let caller = try run(scenario(service: .deterministic(value: 0.010), arrivals: arrivals, requests: 1000,
                                      callOverhead: .deterministic(value: 0.002)))
        XCTAssertEqual(server.latency.mean, 0.012, accuracy: 1e-12)
        XCTAssertEqual(caller.latency.mean, 0.012, accuracy: 1e-12)
        XCTAssertEqual(server.nodes.first { $0.name == "s" }!.utilization, 0.12, accuracy: 1e-3)
        XCTAssertEqual(caller.nodes.first { $0.name == "s" }!.utilization, 0.10, accuracy: 1e-3)
        XCTAssertEqual(server.breakdown.totals.service, Int128(server.breakdown.count) * 12_000_000)
        XCTAssertEqual(server.breakdown.totals.serialization, 0)
    }

    /// The offered load counts `serverWork` per call, and a processor-sharing node's capacity
    /// is its cores: 60/s × (10 ms + 2 ms) = 0.72 on one worker, 0.36 on two cores.
    func testOfferedLoadCountsServerWorkAndCores() {
        let fifo = scenario(service: .exponential(mean: 0.010), arrivals: .poisson(rate: 60), requests: 10,
                            serverWork: .exponential(mean: 0.002))
        XCTAssertEqual(OfferedLoad.perNode(fifo).first { $0.node == "s" }?.load ?? 0, 0.72, accuracy: 1e-12)
        let shared = scenario(service: .exponential(mean: 0.010), arrivals: .poisson(rate: 60), requests: 10,
                              concurrency: .processorSharing(cores: 2, maxInFlight: 40), serverWork: .exponential(mean: 0.002))
        XCTAssertEqual(OfferedLoad.perNode(shared).first { $0.node == "s" }?.load ?? 0, 0.36, accuracy: 1e-12)
    }

    /// Under load, deterministic server work d is exactly a longer service: 10 ms + 2 ms of
    /// server work queue like 12 ms of service (same arrival draws), so every statistic matches.
    func testServerWorkQueuesLikeALongerService() throws {
        let split = try run(scenario(service: .deterministic(value: 0.010), arrivals: .poisson(rate: 60), requests: 20_000,
                                     serverWork: .deterministic(value: 0.002)))
        let whole = try run(scenario(service: .deterministic(value: 0.012), arrivals: .poisson(rate: 60), requests: 20_000))
        XCTAssertGreaterThan(whole.wait.mean, 0.005, "at ρ = 0.72 requests queue")
        XCTAssertEqual(split.latency.mean, whole.latency.mean, accuracy: 1e-15)
        XCTAssertEqual(split.wait.mean, whole.wait.mean, accuracy: 1e-15)
        XCTAssertEqual(split.nodes.first { $0.name == "s" }!.utilization, whole.nodes.first { $0.name == "s" }!.utilization,
                       accuracy: 1e-12)
    }

    /// `capacity` through the whole simulator: deterministic 10 ms service, requests 1 s
    /// apart (never two in service). With `capacity: 0.5` on 1 core every request takes
    /// 10 ms / 0.5 = 20 ms, the 10 ms of slowdown booked as service; without it, 10 ms.
    func testCapacityScalesTheRateOfALoneRequest() throws {
        let arrivals = ArrivalProcess.streams(count: 1, interval: 1)
        let half = try run(scenario(service: .deterministic(value: 0.010), arrivals: arrivals, requests: 50,
                                    concurrency: .processorSharing(cores: 1, maxInFlight: 40, capacity: 0.5)))
        let whole = try run(scenario(service: .deterministic(value: 0.010), arrivals: arrivals, requests: 50,
                                     concurrency: .processorSharing(cores: 1, maxInFlight: 40)))
        XCTAssertEqual(half.latency.mean, 0.020, accuracy: 1e-9)
        XCTAssertEqual(half.latency.max, 0.020, accuracy: 1e-9)
        XCTAssertEqual(whole.latency.mean, 0.010, accuracy: 1e-9)
        XCTAssertEqual(half.breakdown.totals.service, half.breakdown.totals.total)
    }

    /// A processor-sharing node's statistics restart with the measurement window, like a FIFO
    /// node's: 1,000 measured requests after 3,000 of warm-up (Poisson 50/s, deterministic
    /// 10 ms, ρ = 0.5) give node arrivals and completions of about 1,000 — the requests in
    /// flight at the window's ends make them differ from the measured count by a few (at most
    /// 20 here) — not about 4,000; and the node's arrivals equal the FIFO node's on the same
    /// draws (maxInFlight = cores: the same station, job by job).
    func testProcessorSharingStatisticsRestartWithTheMeasurement() throws {
        let config = { (concurrency: ServerConcurrency?) in
            self.scenario(service: .deterministic(value: 0.010), arrivals: .poisson(rate: 50), requests: 1_000,
                          warmup: 3_000, concurrency: concurrency)
        }
        let shared = try run(config(.processorSharing(cores: 1, maxInFlight: 1)))
        let fifo = try run(config(nil))
        let node = try XCTUnwrap(shared.nodes.first { $0.name == "s" })
        let fifoNode = try XCTUnwrap(fifo.nodes.first { $0.name == "s" })
        XCTAssertEqual(Double(node.completions), 1_000, accuracy: 20)
        XCTAssertEqual(Double(node.arrivals), 1_000, accuracy: 20)
        XCTAssertEqual(node.arrivals, fifoNode.arrivals)
        XCTAssertEqual(node.completions, fifoNode.completions)
        XCTAssertEqual(node.utilization, fifoNode.utilization)
    }
}
