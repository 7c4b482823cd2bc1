// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import Results
import ScenarioModel
import SimCore
import XCTest

/// Thermal throttling through a replication (docs/cost-models.md, "Thermal throttling").
final class ThermalFlowTests: XCTestCase {
    /// One worker, 1 s a request, a request every second from t = 1 s; the hardware throttles
    /// to speed 0.5 after 5 s of activity. Active from t = 1: requests 1–5 run 1–6 at full
    /// speed (latency 1 s); request 6 starts at 6 (active 5 s): 2 s, 6–8 (latency 2); request 7
    /// (arrived 7) runs 8–10 (3), request 8 (arrived 8) 10–12 (4). Mean latency
    /// (5 · 1 + 2 + 3 + 4) / 8 = 1.75 s, busy 11 of the 12 measured seconds. Batches count
    /// as throttled when they start: requests 6, 7, 8 and 9 (which starts at 12, as the run
    /// ends on request 8's completion): 4. The same run on hardware without `thermal` keeps every latency at 1 s.
    func testServiceSlowsAfterSustainedActivity() throws {
        let config = Self.config(thermal: ThermalSpec(afterSeconds: 5, speedFactor: 0.5, recoverySeconds: 3))
        let summary = RunSummary(config: config, results: [try Simulation(config: config, replication: 0).run()])
        XCTAssertEqual(summary.completed, 8)
        XCTAssertEqual(summary.latency.mean, 1.75, accuracy: 1e-9)
        XCTAssertEqual(summary.latency.max, 4, accuracy: 1e-9)
        XCTAssertEqual(summary.nodes[0].batching?.throttledBatches, 4)
        XCTAssertEqual(summary.nodes[0].utilization, 11.0 / 12.0, accuracy: 1e-9)

        let cool = Self.config(thermal: nil)
        let reference = RunSummary(config: cool, results: [try Simulation(config: cool, replication: 0).run()])
        XCTAssertEqual(reference.latency.max, 1, accuracy: 1e-9)
        XCTAssertNil(reference.nodes[0].batching)
    }

    private static func config(thermal: ThermalSpec?) -> ScenarioConfig {
        var hardware = HardwareSpec(name: "orin", kind: .gpu)
        hardware.thermal = thermal
        return ScenarioConfig(
            name: "thermal", seed: 9, run: RunSettings(requests: 8), hardware: [hardware],
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 1))],
            nodes: [NodeSpec(name: "edge", kind: .edge, workers: 1, hardware: "orin")],
            deployment: .single(Placement(model: "m", node: "edge")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .trace(timestamps: [1]))])
    }
}
