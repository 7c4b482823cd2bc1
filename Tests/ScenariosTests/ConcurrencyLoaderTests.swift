// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

/// `nodes.NAME.concurrency` and `protocols.*.serverWork` as the loader reads and checks them.
final class ConcurrencyLoaderTests: XCTestCase {
    private func yaml(node: String, protocols: String = "") -> String {
        """
        name: p
        run: {requests: 10}
        models:
          m: {serviceTime: 1ms}
        nodes:
          s: \(node)
          c: {kind: client}
        deployment: {kind: single, model: m, on: s, via: rest}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
        \(protocols)
        """
    }

    private func diagnostics(_ text: String) -> [String] {
        do {
            _ = try ScenarioLoader.load(yaml: text, file: "p.yaml")
            XCTFail("expected errors")
            return []
        } catch {
            return (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? ["\(error)"]
        }
    }

    /// `processorSharing` with cores and a thread pool; without `maxInFlight`, no limit; the
    /// node's capacity is its cores. `fifo` is the plain node. `serverWork` is a time distribution.
    func testSettingsAreRead() throws {
        let shared = try ScenarioLoader.load(yaml: yaml(
            node: "{kind: server, concurrency: {model: processorSharing, cores: 2, maxInFlight: 40}}",
            protocols: "protocols: {rest: {serverWork: {dist: exponential, mean: 1ms}}}"), file: "p.yaml")
        let node = try XCTUnwrap(shared.nodes.first { $0.name == "s" })
        XCTAssertEqual(node.concurrency, .processorSharing(cores: 2, maxInFlight: 40))
        XCTAssertEqual(node.totalWorkers, 2)
        XCTAssertEqual(shared.protocols.first?.serverWork, .exponential(mean: 0.001))
        let unlimited = try ScenarioLoader.load(yaml: yaml(node: "{kind: server, concurrency: {model: processorSharing, cores: 1}}"),
                                                file: "p.yaml")
        XCTAssertEqual(unlimited.nodes.first?.concurrency, .processorSharing(cores: 1, maxInFlight: Int.max))
        let fifo = try ScenarioLoader.load(yaml: yaml(node: "{kind: server, workers: 3, concurrency: {model: fifo}}"), file: "p.yaml")
        XCTAssertNil(fifo.nodes.first?.concurrency)
        XCTAssertEqual(fifo.nodes.first?.totalWorkers, 3)
    }

    /// Zero or negative cores, a pool below 1, a missing `cores`, an unknown model and an
    /// unknown key are each located at their key, in one pass.
    func testBadValuesAreLocated() {
        let rendered = diagnostics(yaml(node: "{kind: server, concurrency: {model: processorSharing, cores: 0, maxInFlight: 0}}"))
        XCTAssertEqual(rendered.count, 2, "\(rendered)")
        XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:6:") && $0.contains("nodes.s.concurrency.cores") }, "\(rendered)")
        XCTAssertTrue(rendered.contains { $0.hasPrefix("p.yaml:6:") && $0.contains("nodes.s.concurrency.maxInFlight") }, "\(rendered)")
        let negative = diagnostics(yaml(node: "{kind: server, concurrency: {model: processorSharing, cores: -2}}"))
        XCTAssertTrue(negative.contains { $0.contains("nodes.s.concurrency.cores") }, "\(negative)")
        let missing = diagnostics(yaml(node: "{kind: server, concurrency: {model: processorSharing}}"))
        XCTAssertTrue(missing.contains { $0.contains("nodes.s.concurrency") && $0.contains("cores") }, "\(missing)")
        let unknown = diagnostics(yaml(node: "{kind: server, concurrency: {model: roundRobin, cores: 2, thread: 4}}"))
        XCTAssertTrue(unknown.contains { $0.contains("nodes.s.concurrency.model") && $0.contains("processorSharing") }, "\(unknown)")
        XCTAssertTrue(unknown.contains { $0.contains("thread") }, "\(unknown)")
    }

    /// Settings that contradict processor sharing are located at their own keys; `cores` on a
    /// `fifo` node and concurrency on a client too.
    func testContradictionsAreLocated() {
        let rendered = diagnostics(yaml(node: "{kind: server, workers: 4, coldStart: {loadTime: 1s}, concurrency: {model: processorSharing, cores: 2}}"))
        XCTAssertTrue(rendered.contains { $0.contains("nodes.s.workers") && $0.contains("concurrency.cores") }, "\(rendered)")
        XCTAssertTrue(rendered.contains { $0.contains("nodes.s.coldStart") && $0.contains("not simulated") }, "\(rendered)")
        let fifo = diagnostics(yaml(node: "{kind: server, concurrency: {model: fifo, cores: 2}}"))
        XCTAssertEqual(fifo.count, 1, "\(fifo)")
        XCTAssertTrue(fifo[0].contains("nodes.s.concurrency.cores") && fifo[0].contains("processorSharing"), "\(fifo)")
        let client = diagnostics(yaml(node: "{kind: server}").replacingOccurrences(
            of: "c: {kind: client}", with: "c: {kind: client, concurrency: {model: processorSharing, cores: 1}}"))
        XCTAssertTrue(client.contains { $0.contains("nodes.c.concurrency") && $0.contains("runs no models") }, "\(client)")
    }

    /// A batching model placed on a processor-sharing node is located at the placement's `on`.
    func testBatchingOnASharingNodeIsLocated() {
        let text = yaml(node: "{kind: server, concurrency: {model: processorSharing, cores: 2}}").replacingOccurrences(
            of: "m: {serviceTime: 1ms}", with: "m: {serviceTime: 1ms, batching: {maxBatch: 4, maxDelay: 1ms, alpha: 0.1}}")
        let rendered = diagnostics(text)
        XCTAssertEqual(rendered.count, 1, "\(rendered)")
        XCTAssertTrue(rendered[0].hasPrefix("p.yaml:8:") && rendered[0].contains("deployment.on")
                      && rendered[0].contains("model `m` batches"), "\(rendered)")
    }

    /// A service time scaled `by: inFlight` (a FIFO station's count) on a processor-sharing node
    /// is located at the placement's `on`, not silently left unscaled.
    func testInFlightScalingOnASharingNodeIsLocated() {
        let text = yaml(node: "{kind: server, concurrency: {model: processorSharing, cores: 2}}").replacingOccurrences(
            of: "m: {serviceTime: 1ms}", with: "m: {serviceTime: 1ms, serviceTimeScaling: {by: inFlight, points: [[1, 1], [4, 0.9]]}}")
        let rendered = diagnostics(text)
        XCTAssertEqual(rendered.count, 1, "\(rendered)")
        XCTAssertTrue(rendered[0].hasPrefix("p.yaml:8:") && rendered[0].contains("deployment.on")
                      && rendered[0].contains("scales its service time `by: inFlight`"), "\(rendered)")
    }

    /// A negative `serverWork` is located like any time distribution.
    func testBadServerWorkIsLocated() {
        let rendered = diagnostics(yaml(node: "{kind: server}", protocols: "protocols: {rest: {serverWork: -1ms}}"))
        XCTAssertEqual(rendered.count, 1, "\(rendered)")
        XCTAssertTrue(rendered[0].contains("protocols.rest.serverWork") && rendered[0].contains("must not be negative"), "\(rendered)")
    }
}
