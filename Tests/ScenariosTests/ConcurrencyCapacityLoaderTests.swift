// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

/// `nodes.NAME.concurrency.capacity` (the CPU a processor-sharing pool really gets) as the
/// loader reads and checks it.
final class ConcurrencyCapacityLoaderTests: XCTestCase {
    private func yaml(concurrency: String) -> String {
        """
        name: p
        run: {requests: 10}
        models:
          m: {serviceTime: 1ms}
        nodes:
          s: {kind: server, concurrency: \(concurrency)}
          c: {kind: client}
        deployment: {kind: single, model: m, on: s, via: rest}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
        """
    }

    /// The rendered diagnostics of loading `text`; fails the test if it loads.
    private func diagnostics(_ text: String, line: UInt = #line) -> [String] {
        problems(text, file: "p.yaml", line: line).map(\.rendered)
    }

    /// A fractional capacity is read as it is; without one the node is today's processor
    /// sharing (capacity nil), and its workers stay its cores either way.
    func testCapacityIsRead() throws {
        let scenario = try ScenarioLoader.load(
            yaml: yaml(concurrency: "{model: processorSharing, cores: 2, maxInFlight: 40, capacity: 1.6}"), file: "p.yaml")
        let node = try XCTUnwrap(scenario.nodes.first { $0.name == "s" })
        XCTAssertEqual(node.concurrency, .processorSharing(cores: 2, maxInFlight: 40, capacity: 1.6))
        XCTAssertEqual(node.totalWorkers, 2)
        let plain = try ScenarioLoader.load(yaml: yaml(concurrency: "{model: processorSharing, cores: 2}"), file: "p.yaml")
        XCTAssertEqual(plain.nodes.first { $0.name == "s" }?.concurrency, .processorSharing(cores: 2, maxInFlight: Int.max))
    }

    /// Zero, more than the cores, text, and a capacity on a `fifo` node are each located at
    /// `concurrency.capacity` (line 6) with what the number means.
    func testBadCapacitiesAreLocated() {
        for (value, expected) in [("0", "greater than 0"), ("2.5", "at most 2"), ("lots", "number")] {
            let rendered = diagnostics(yaml(concurrency: "{model: processorSharing, cores: 2, capacity: \(value)}"))
            XCTAssertEqual(rendered.count, 1, "\(value): \(rendered)")
            XCTAssertTrue(rendered[0].hasPrefix("p.yaml:6:") && rendered[0].contains("nodes.s.concurrency.capacity")
                          && rendered[0].contains(expected), "\(value): \(rendered)")
        }
        let fifo = diagnostics(yaml(concurrency: "{model: fifo, capacity: 1.5}"))
        XCTAssertEqual(fifo.count, 1, "\(fifo)")
        XCTAssertTrue(fifo[0].contains("nodes.s.concurrency.capacity") && fifo[0].contains("processorSharing"), "\(fifo)")
    }
}
