// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import ScenarioModel

/// A speed gate that does not depend on wall time: the number of events the engine
/// processes per request. A plain event-scheduling model needs exactly one arrival event per
/// request plus one completion event per station visited (SCENARIOS.md's count: mmc 2,
/// tandem10 11). More events per request means a slower engine, and fails here.
/// Allowed slack: the requests still in flight when the run stops (their arrivals and partial
/// services were processed) — at most a few hundred here, set as 1 % of the total.
final class EventCountGateTests: XCTestCase {
    private func assertEvents(_ config: ScenarioConfig, perRequest: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Simulation(config: config, replication: 0).run()
        let requests = result.conservation.completed
        let minimum = UInt64(perRequest * requests)
        XCTAssertGreaterThanOrEqual(result.events, minimum, file: file, line: line)
        XCTAssertLessThanOrEqual(result.events, minimum + minimum / 100, "events per request grew", file: file, line: line)
    }

    func testMMcUsesTwoEventsPerRequest() throws {
        let config = ScenarioBuilders.singleStation(name: "gate-mmc", rate: 3.2, service: .exponential(mean: 1), workers: 4,
                                                    run: RunSettings(requests: 20_000, warmupRequests: 1_000))
        try assertEvents(config, perRequest: 2)
    }

    func testTandemTenUsesElevenEventsPerRequest() throws {
        let config = ScenarioBuilders.tandem(name: "gate-tandem", rate: 0.9,
                                             stations: Array(repeating: (.exponential(mean: 1), 1), count: 10),
                                             run: RunSettings(requests: 20_000, warmupRequests: 1_000))
        try assertEvents(config, perRequest: 11)
    }
}
