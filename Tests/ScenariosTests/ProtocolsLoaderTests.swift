// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

final class ProtocolsLoaderTests: XCTestCase {
    private let base = """
        name: p
        run: {requests: 10}
        models:
          m: {serviceTime: 1ms}
        nodes:
          s: {kind: server}
        deployment: {kind: single, model: m, on: s, via: rest}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 1/s}}

        """

    /// `protocols:` overrides land in the typed config in base units: 8 Gbps of codec
    /// throughput is 1 ns per byte; sizes in bytes.
    func testOverridesAreReadInBaseUnits() throws {
        let config = try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {requestOverhead: 1KB, responseOverhead: 200B, payloadInflation: 1.5, codecThroughput: 8Gbps, setupRoundTrips: 2}
              grpc: {setupRoundTrips: 1}
            """, file: "p.yaml")
        XCTAssertEqual(config.protocols, [
            ProtocolSpec(call: .rest, requestOverheadBytes: 1000, responseOverheadBytes: 200, payloadInflation: 1.5,
                         codecSecondsPerByte: 1e-9, setupRoundTrips: 2),
            ProtocolSpec(call: .grpc, setupRoundTrips: 1),
        ])
    }

    /// Bad values are located at their keys: an inflation below 1, a negative round-trip
    /// count, an unknown protocol (with the valid ones in the hint).
    func testBadOverridesAreLocated() {
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {payloadInflation: 0.5, setupRoundTrips: -1}
              grcp: {setupRoundTrips: 1}
            """, file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 3, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:11:") && $0.contains("protocols.rest.payloadInflation") })
            XCTAssertTrue(rendered.contains { $0.contains("protocols.rest.setupRoundTrips") })
            XCTAssertTrue(rendered.contains { $0.contains("unknown key `grcp`") && $0.contains("rest, grpc, queue") })
        }
    }

    /// `timeout`, `retries`, `backoff`, `backoffMultiplier` make a call policy (defaults:
    /// 0 retries, 100 ms, ×2); retry settings without a timeout are an error at their key.
    func testTimeoutsAndRetries() throws {
        let config = try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {timeout: 500ms, retries: 2, backoff: 50ms, backoffMultiplier: 3}
              grpc: {timeout: 1s}
            """, file: "p.yaml")
        XCTAssertEqual(config.protocols.map(\.callPolicy), [
            CallPolicy(timeout: 0.5, retries: 2, backoff: 0.05, backoffMultiplier: 3),
            CallPolicy(timeout: 1, retries: 0, backoff: 0.1, backoffMultiplier: 2),
        ])
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {retries: 2, backoffMultiplier: 0.5}
            """, file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 2, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.contains("protocols.rest.backoffMultiplier") })
            XCTAssertTrue(rendered.contains { $0.contains("protocols.rest.retries") && $0.contains("needs a `timeout`") })
        }
    }

    /// `poolSize`, `streamsPerConnection`, `idleTimeout` make a pool; gRPC defaults to 100
    /// streams per connection, REST to 1.
    func testConnectionPools() throws {
        let config = try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {poolSize: 8, idleTimeout: 60s, setupRoundTrips: 2}
              grpc: {poolSize: 1}
            """, file: "p.yaml")
        XCTAssertEqual(config.protocols.map(\.pooling), [
            ConnectionPooling(poolSize: 8, streamsPerConnection: 1, idleTimeout: 60),
            ConnectionPooling(poolSize: 1, streamsPerConnection: 100),
        ])
    }

    /// HTTP/1.1 has one stream per connection; a queue call holds no connection; pool settings
    /// without `poolSize`, and a pool of 0, are errors at their keys.
    func testBadPoolsAreLocated() {
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base + """
            protocols:
              rest: {poolSize: 0, streamsPerConnection: 4}
              grpc: {idleTimeout: 10s}
              queue: {poolSize: 2}
            """, file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 4, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:11:") && $0.contains("protocols.rest.poolSize") })
            XCTAssertTrue(rendered.contains { $0.contains("protocols.rest.streamsPerConnection") && $0.contains("one request at a time") })
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:12:") && $0.contains("protocols.grpc.idleTimeout") && $0.contains("needs a `poolSize`") })
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:13:") && $0.contains("protocols.queue.poolSize") })
        }
    }

    /// A placement's `call:` holds its own settings of its `via` protocol; without `via` it is
    /// an error at the key, and its settings are checked like those of `protocols:`.
    func testPlacementCallSettings() throws {
        let config = try ScenarioLoader.load(yaml: base.replacingOccurrences(
            of: "via: rest}", with: "via: rest, call: {timeout: 50ms, poolSize: 2}}"), file: "p.yaml")
        guard case .single(let placement) = config.deployment else { return XCTFail("single") }
        XCTAssertEqual(placement.call?.callPolicy, CallPolicy(timeout: 0.05))
        XCTAssertEqual(placement.call?.pooling, ConnectionPooling(poolSize: 2))
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base.replacingOccurrences(
            of: "via: rest}", with: "call: {timeout: 50ms}}"), file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 1, "\(rendered)")
            XCTAssertTrue(rendered[0].hasPrefix("p.yaml:7:") && rendered[0].contains("deployment.call")
                          && rendered[0].contains("no `via`"), rendered[0])
        }
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base.replacingOccurrences(
            of: "via: rest}", with: "via: rest, call: {streamsPerConnection: 2, poolSize: 1, retry: 2}}"), file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 2, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.contains("deployment.call.streamsPerConnection") }, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.contains("unknown key `retry`") && $0.contains("retries") }, "\(rendered)")
        }
    }

    /// `callOverhead` is a time distribution in seconds, in `protocols:` and in a placement's
    /// `call:`; the placement's wins for its calls (`ProtocolSpec.effective`).
    /// `codecThroughput: unlimited` is no codec time (0 s per byte).
    func testCallOverheadIsATimeDistribution() throws {
        let config = try ScenarioLoader.load(yaml: base.replacingOccurrences(
            of: "via: rest}", with: "via: rest, call: {callOverhead: 3ms}}") + """
            protocols:
              rest: {callOverhead: 2ms, codecThroughput: unlimited}
              grpc: {callOverhead: {dist: lognormal, mean: 2ms, cv: 0.3}}
            """, file: "p.yaml")
        XCTAssertEqual(config.protocols.map(\.callOverhead),
                       [.deterministic(value: 0.002), .lognormal(mean: 0.002, cv: 0.3)])
        XCTAssertEqual(config.protocols.map(\.codecSecondsPerByte), [0, nil], "`unlimited`: no codec time")
        guard case .single(let placement) = config.deployment else { return XCTFail("single") }
        XCTAssertEqual(ProtocolSpec.effective(via: .rest, placement: placement.call, protocols: config.protocols)?.callOverhead,
                       .deterministic(value: 0.003))
        XCTAssertEqual(ProtocolSpec.effective(via: .grpc, placement: nil, protocols: config.protocols)?.callOverhead,
                       .lognormal(mean: 0.002, cv: 0.3))
    }

    /// Negative, beyond-the-clock, unit-less and badly parameterised overheads are each
    /// located at their own key, all in one pass.
    func testBadCallOverheadsAreLocated() {
        XCTAssertThrowsError(try ScenarioLoader.load(yaml: base.replacingOccurrences(
            of: "via: rest}", with: "via: rest, call: {callOverhead: 1e12s}}") + """
            protocols:
              rest: {callOverhead: -2ms}
              grpc: {callOverhead: {dist: lognormal, mean: 2ms, cv: -1}}
              queue: {callOverhead: 3}
            """, file: "p.yaml")) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? []
            XCTAssertEqual(rendered.count, 4, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:7:") && $0.contains("deployment.call.callOverhead")
                && $0.contains("beyond the simulation clock") }, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:11:") && $0.contains("protocols.rest.callOverhead")
                && $0.contains("must not be negative") }, "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:12:") && $0.contains("protocols.grpc.callOverhead.cv") },
                          "\(rendered)")
            XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:13:") && $0.contains("protocols.queue.callOverhead")
                && $0.contains("needs a unit") }, "\(rendered)")
        }
    }
}
