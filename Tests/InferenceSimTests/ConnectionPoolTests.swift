// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Results
import ScenarioModel

/// Keep-alive connection pools (docs/cost-models.md, "Connection pools"), by hand. Times are
/// deterministic, so every latency is exact. REST codec: 4 ns per wire byte; a request without
/// payload carries its 350 header bytes (q = 1.4 µs), an answer of 1,000 B carries
/// 1,000 · 4/3 + 250 bytes (r = 6.3333… µs).
final class ConnectionPoolTests: XCTestCase {
    private let q = 350 * 4e-9
    private let r = (1000 * 4.0 / 3.0 + 250) * 4e-9

    /// One client calling `s` (4 workers, 100 ms per request) over `via`, with `protocols`,
    /// and an optional 10 ms link. The trace ends at 10,000 s (it repeats after its end), long
    /// after the measured requests.
    private func clientServer(arrivals: [Double], via: CallProtocol = .rest, protocols: [ProtocolSpec],
                              link: Bool = false) -> ScenarioConfig {
        var config = ScenarioConfig(
            name: "pool", seed: 1, run: RunSettings(requests: arrivals.count),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.1), outputBytes: 1000)],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 4)],
            links: link ? [LinkSpec(a: "client", b: "s", latency: .deterministic(value: 0.010))] : [],
            deployment: .single(Placement(model: "m", node: "s", via: via)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .trace(timestamps: arrivals + [10_000]))])
        config.protocols = protocols
        return config
    }

    private func pooled(_ call: CallProtocol, size: Int, streams: Int = 1, setup: Int = 0,
                        idle: Double? = nil) -> ProtocolSpec {
        var spec = ProtocolSpec(call: call, setupRoundTrips: setup)
        spec.pooling = ConnectionPooling(poolSize: size, streamsPerConnection: streams, idleTimeout: idle)
        return spec
    }

    private func simulate(_ config: ScenarioConfig) throws -> ReplicationResult {
        let result = try Simulation(config: config, replication: 0).run()
        XCTAssertTrue(result.conservation.holds)
        return result
    }

    /// HTTP/1.1, one connection: three requests at 0 go one after the other, each holding the
    /// connection until its answer is back (C = 0.1 + q + r): latencies C, 2C, 3C although the
    /// server has 4 workers. The second waits C, the third 2C: mean wait over 3 calls = C.
    func testOneRequestAtATimePerConnection() throws {
        let call = 0.1 + q + r
        let result = try simulate(clientServer(arrivals: [0, 0, 0], protocols: [pooled(.rest, size: 1)]))
        XCTAssertEqual(result.latency.min, call, accuracy: 3e-9)
        XCTAssertEqual(result.latency.max, 3 * call, accuracy: 3e-9)
        XCTAssertEqual(result.latency.mean, 2 * call, accuracy: 3e-9)
        let counts = try XCTUnwrap(result.connections)
        XCTAssertEqual(counts.calls, 3)
        XCTAssertEqual(counts.opened, 1)
        XCTAssertEqual(counts.waited, 2)
        XCTAssertEqual(counts.meanWait, call, accuracy: 3e-9)
        // The wait for a connection is queueing in the breakdown: (0 + C + 2C) / 3.
        let parts = Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(parts["queueing"]!, call, accuracy: 3e-9)
    }

    /// HTTP/2 multiplexes: one gRPC connection with 2 streams carries two of the three calls at
    /// once (gRPC: 60 B request, 1,040 B answer at 1 ns/B). Latencies G, G, 2G.
    func testStreamsMultiplexOnOneConnection() throws {
        let call = 0.1 + 60e-9 + 1040e-9
        let result = try simulate(clientServer(arrivals: [0, 0, 0], via: .grpc,
                                               protocols: [pooled(.grpc, size: 1, streams: 2)]))
        XCTAssertEqual(result.latency.mean, 4 * call / 3, accuracy: 3e-9)
        XCTAssertEqual(result.latency.max, 2 * call, accuracy: 3e-9)
        let counts = try XCTUnwrap(result.connections)
        XCTAssertEqual([counts.calls, counts.opened, counts.waited], [3, 1, 1])
        XCTAssertEqual(counts.waitSeconds, call, accuracy: 3e-9)
    }

    /// The check: REST without keep-alive pays one more round trip per call than a
    /// pooled gRPC connection. Link 10 ms each way, one connection round trip of set-up
    /// (20 ms), 20 requests 10 s apart. Without keep-alive every REST call pays 20 ms; pooled,
    /// only the first call opens the connection. Difference of the means, codecs aside:
    /// 19 · 20 ms / 20 = 19 ms; the pooled gRPC run opens exactly one connection.
    func testRestWithoutKeepAlivePaysOneMoreRoundTripPerCallThanPooledGRPC() throws {
        let arrivals = (0..<20).map { Double($0) * 10 }
        let rest = try simulate(clientServer(arrivals: arrivals, protocols: [ProtocolSpec(call: .rest, setupRoundTrips: 1)],
                                             link: true))
        let grpc = try simulate(clientServer(arrivals: arrivals, via: .grpc, protocols: [pooled(.grpc, size: 4, setup: 1)],
                                             link: true))
        let base = 0.020 + 0.1
        XCTAssertEqual(rest.latency.min, base + 0.020 + q + r, accuracy: 3e-9)
        XCTAssertEqual(rest.latency.max, base + 0.020 + q + r, accuracy: 3e-9)
        let grpcCall = base + 60e-9 + 1040e-9
        XCTAssertEqual(grpc.latency.min, grpcCall, accuracy: 3e-9)
        XCTAssertEqual(grpc.latency.max, grpcCall + 0.020, accuracy: 3e-9)
        XCTAssertEqual(rest.latency.mean - grpc.latency.mean, 0.019 + q + r - 1.1e-6, accuracy: 3e-9)
        XCTAssertEqual(grpc.connections?.opened, 1)
        XCTAssertNil(rest.connections)
    }

    /// A connection idle for `idleTimeout` is closed: with requests 10 s apart and a 5 s idle
    /// timeout, every call opens it again (20 ms each); with 60 s, only the first.
    func testIdleConnectionsCloseAfterTheIdleTimeout() throws {
        let arrivals = (0..<20).map { Double($0) * 10 }
        let short = try simulate(clientServer(arrivals: arrivals, protocols: [pooled(.rest, size: 2, setup: 1, idle: 5)],
                                              link: true))
        let long = try simulate(clientServer(arrivals: arrivals, protocols: [pooled(.rest, size: 2, setup: 1, idle: 60)],
                                             link: true))
        XCTAssertEqual(short.connections?.opened, 20)
        XCTAssertEqual(long.connections?.opened, 1)
        XCTAssertEqual(short.latency.mean - long.latency.mean, 0.019, accuracy: 3e-9)
    }

    /// Collaborative at `d`: branch "fast" in-process (1 ms), branch "slow" on `e` (80 ms, 2
    /// workers) over one pooled connection with a 100 ms timeout, 1 retry after 20 ms. A and B
    /// at 0: A's call takes the connection, its answer is in at 80 + q + r; B waited for the
    /// connection until then, is still at `e` when its timeout fires at 100 ms, and gives up:
    /// HTTP/1.1 cannot reuse that connection, so it is closed and B's retry at 120 ms opens it
    /// again, finds `e`'s other worker free and is answered at 200 + q + r. gRPC resets the
    /// stream and keeps the connection: one connection opened instead of two.
    func testATimedOutCallClosesItsHTTP1ConnectionButNotItsHTTP2One() throws {
        func config(_ call: CallProtocol) -> ScenarioConfig {
            var config = ScenarioConfig(
                name: "pool-retry", seed: 1, run: RunSettings(requests: 2),
                models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 0.001)),
                         ModelSpec(name: "slow", serviceTime: .deterministic(value: 0.080))],
                nodes: [NodeSpec(name: "d", kind: .server, workers: 1), NodeSpec(name: "e", kind: .edge, workers: 2)],
                deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                    .init(placement: Placement(model: "fast", node: "d")),
                    .init(placement: Placement(model: "slow", node: "e", via: call)),
                ], fusion: FusionSpec(method: .mean))),
                workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [0, 0, 10_000]))])
            var spec = pooled(call, size: 1)
            spec.callPolicy = CallPolicy(timeout: 0.100, retries: 1, backoff: 0.020)
            config.protocols = [spec]
            return config
        }
        let rest = try simulate(config(.rest))
        XCTAssertEqual(rest.latency.min, 0.080 + q + r, accuracy: 3e-9)
        XCTAssertEqual(rest.latency.max, 0.200 + q + r, accuracy: 3e-9)
        XCTAssertEqual(rest.calls, CallCounts(timeouts: 1, retries: 1))
        let counts = try XCTUnwrap(rest.connections)
        XCTAssertEqual([counts.calls, counts.opened, counts.waited], [3, 2, 1])
        XCTAssertEqual(counts.waitSeconds, 0.080 + q + r, accuracy: 3e-9)
        let grpc = try simulate(config(.grpc))
        XCTAssertEqual(grpc.connections?.opened, 1)
        XCTAssertEqual(grpc.connections?.waited, 1)
    }

    /// A pool per member of a source group: two cameras with one connection each; workload 0
    /// comes only from member 0 and workload 1 only from member 1 (weights), both at 0. Each
    /// call goes at once; one pool for the group would have made the second wait.
    func testEveryMemberOfASourceGroupKeepsItsOwnPool() throws {
        var config = clientServer(arrivals: [0], protocols: [pooled(.rest, size: 1)])
        config.nodes[0].count = 2
        config.workloads[0].sourceWeights = [1, 0]
        config.workloads.append(config.workloads[0])
        config.workloads[1].sourceWeights = [0, 1]
        config.run = RunSettings(requests: 2)
        let result = try simulate(config)
        XCTAssertEqual(result.connections, ConnectionCounts(calls: 2, opened: 2, waited: 0, waitSeconds: 0))
        XCTAssertEqual(result.latency.max, 0.1 + q + r, accuracy: 3e-9)
    }

    /// A pool of c connections in front of a server with more workers than c is an M/M/c
    /// queue for the connections when arrivals are Poisson and service exponential (each call
    /// holds its connection for its service plus the codec, 7.7 µs, under 0.01 % of the mean
    /// service: neglected). λ = 6/s, mean service 0.2 s, c = 2: a = 1.2, ρ = 0.6, Erlang C
    /// C(2, 1.2) = 1.8 / 4.0 = 0.45, mean wait for a connection Wq = C / (cμ − λ) = 0.1125 s.
    /// Fixed seed; 10 replications of 50,000 calls after 5,000 of warm-up; the Student-t 99 %
    /// interval of the replications' mean waits must contain Wq and be narrower than ±10 %.
    func testAPoolOfCConnectionsIsAnMMCQueue() throws {
        var config = ScenarioConfig(
            name: "pool-mmc", seed: 77, run: RunSettings(requests: 50_000, warmupRequests: 5_000, replications: 10),
            models: [ModelSpec(name: "m", serviceTime: .exponential(mean: 0.2))],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 8)],
            deployment: .single(Placement(model: "m", node: "s", via: .rest)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: .poisson(rate: 6))])
        config.protocols = [pooled(.rest, size: 2)]
        let results = try Replications.results(of: config)
        let wait = try ScenarioBuilders.ci99(results.map { $0.connections!.meanWait })
        XCTAssertTrue(wait.low <= 0.1125 && 0.1125 <= wait.high, "Wq: 99% CI [\(wait.low), \(wait.high)]")
        XCTAssertLessThan(wait.halfWidth, 0.01125)
        // The station behind the pool never queues: at most 2 calls reach its 8 workers.
        XCTAssertEqual(results.map { $0.nodes.first { $0.name == "s" }!.meanQueueLength }.max()!, 0)
    }

    /// A branch call still waiting for a connection when its request fuses at the deadline is
    /// never sent: one connection, 1 s per call, deadline 50 ms with quorum 1 on an in-process
    /// branch. Requests A and B at 0: A's slow call takes the connection, B's waits; both fuse
    /// at 50 ms with the fast answer. When A's call is answered (1 s), B's request has long
    /// left, so its call is dropped from the queue, not sent: one call reaches `e`.
    func testACallNobodyWaitsForLeavesTheQueueUnsent() throws {
        var config = ScenarioConfig(
            name: "pool-stale", seed: 1, run: RunSettings(duration: 50),
            models: [ModelSpec(name: "fast", serviceTime: .deterministic(value: 0.001)),
                     ModelSpec(name: "slow", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "d", kind: .server, workers: 2), NodeSpec(name: "e", kind: .edge, workers: 2)],
            deployment: .collaborative(CollaborativeSpec(fuseAt: "d", branches: [
                .init(placement: Placement(model: "fast", node: "d")),
                .init(placement: Placement(model: "slow", node: "e", via: .rest)),
            ], fusion: FusionSpec(method: .mean, deadline: 0.050, quorum: 1))),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [0, 0, 10_000]))])
        config.protocols = [pooled(.rest, size: 1)]
        let result = try simulate(config)
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.latency.max, 0.050, accuracy: 3e-9)
        XCTAssertEqual(result.lateAnswers, 1)
        let e = try XCTUnwrap(result.nodes.first { $0.name == "e" })
        XCTAssertEqual(e.utilization, 1.0 / (2 * 50), accuracy: 1e-9)  // one call of 1 s, 2 workers, 50 s
    }
}
