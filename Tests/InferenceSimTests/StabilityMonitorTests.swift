// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import InferenceSim
import Results
import SimCore

/// The criteria of `StabilityMonitor` on hand-made snapshot sequences (docs/engine.md,
/// "Stability detection"). Each test states the sequence and which criterion must fire at
/// which check, or that none may.
final class StabilityMonitorTests: XCTestCase {
    private let node = Instability.Resource(kind: .node, name: "s", offeredLoad: 0.5, offeredLoadIsBound: false)
    private let overloadedNode = Instability.Resource(kind: .node, name: "s", offeredLoad: 2, offeredLoadIsBound: false)

    /// A snapshot at check `k` (one second apart) with one resource.
    private func snapshot(_ k: Int, backlog: Int, arrived: Int, completed: Int = 0, records: Int? = nil,
                          pending: Int = 3) -> StabilityMonitor.Snapshot {
        .init(time: SimTime(k) * 1_000_000_000, measuring: true, inFlight: records ?? backlog, requestRecords: records ?? backlog,
              pendingEvents: pending, backlog: [backlog], arrived: [arrived], completed: [completed])
    }

    /// Feeds `snapshots`; returns the index of the check that stopped the run and the evidence.
    private func firstStop(_ monitor: inout StabilityMonitor, _ snapshots: [StabilityMonitor.Snapshot]) -> (Int, Instability)? {
        for (k, s) in snapshots.enumerated() {
            if let found = monitor.observe(s) { return (k, found) }
        }
        return nil
    }

    /// A queue fed at λ = 2μ (μ = 40,000 per check) keeps half of its arrivals: Q_k = 40,000 k.
    /// ρ = 0.5 from the scenario (unknown overload, say a retry storm), so G = 8 checks of rise
    /// and F = 262,144: Q_7 = 280,000 ≥ F, but only 7 rises by then; the 8th rise is at k = 8.
    func testLinearGrowthStopsAfterEightRisesAboveTheFloor() throws {
        var monitor = StabilityMonitor(resources: [node])
        let snapshots = (0...20).map { snapshot($0, backlog: 40_000 * $0, arrived: 80_000 * $0, completed: 40_000 * $0) }
        let (k, evidence) = try XCTUnwrap(firstStop(&monitor, snapshots))
        XCTAssertEqual(k, 8)
        XCTAssertEqual(evidence.criterion, .backlogGrowth)
        XCTAssertEqual(evidence.limit, 262_144)
        let saturation = try XCTUnwrap(evidence.saturation)
        XCTAssertEqual(saturation.resource.name, "s")
        XCTAssertEqual(saturation.backlog, 320_000)
        XCTAssertEqual(saturation.backlogBefore, 0)
        XCTAssertEqual(saturation.windowSeconds, 8)
        XCTAssertEqual(saturation.arrivalRate, 80_000)
        XCTAssertEqual(saturation.completionRate, 40_000)
        XCTAssertEqual(saturation.observedLoad, 2)
        XCTAssertEqual(evidence.stoppedAt, 8)
        XCTAssertEqual(evidence.inFlight.map(\.inFlight), (0...8).map { 40_000 * $0 })
    }

    /// The same growth below the floor (Q_k = 10,000 k for 20 checks: at most 200,000) does
    /// not stop: a backlog must be large before growth alone, without ρ ≥ 1, condemns a run.
    func testGrowthBelowTheFloorDoesNotStop() {
        var monitor = StabilityMonitor(resources: [node])
        let snapshots = (0...20).map { snapshot($0, backlog: 10_000 * $0, arrived: 20_000 * $0, completed: 10_000 * $0) }
        XCTAssertNil(firstStop(&monitor, snapshots))
    }

    /// With ρ = 2 from the scenario, G = 4 and F = 1,024: Q_k = 300 k reaches F at k = 4 after
    /// four rises, so the run stops there.
    func testKnownOverloadNeedsFewerChecksAndALowerFloor() throws {
        var monitor = StabilityMonitor(resources: [overloadedNode])
        let snapshots = (0...20).map { snapshot($0, backlog: 300 * $0, arrived: 600 * $0, completed: 300 * $0) }
        let (k, evidence) = try XCTUnwrap(firstStop(&monitor, snapshots))
        XCTAssertEqual(k, 4)
        XCTAssertEqual(evidence.limit, 1_024)
        XCTAssertEqual(evidence.saturation?.resource.offeredLoad, 2)
    }

    /// An upper bound ρ ≥ 1 (a cascade stage's) does not lower the thresholds.
    func testAnUpperBoundOnTheLoadDoesNotLowerTheThresholds() {
        let bounded = Instability.Resource(kind: .node, name: "s", offeredLoad: 2, offeredLoadIsBound: true)
        var monitor = StabilityMonitor(resources: [bounded])
        let snapshots = (0...6).map { snapshot($0, backlog: 300 * $0, arrived: 600 * $0) }
        XCTAssertNil(firstStop(&monitor, snapshots))
    }

    /// A stable queue high above the floor that wobbles (one fall in every eight checks) never
    /// rises eight times in a row: no stop, however long.
    func testAHighButStableBacklogDoesNotStop() {
        var monitor = StabilityMonitor(resources: [node])
        let snapshots = (0..<1_000).map { k in
            snapshot(k, backlog: 1_000_000 + (k % 8 == 7 ? -50 : 10 * (k % 8)), arrived: 50_000 * k, completed: 50_000 * k)
        }
        XCTAssertNil(firstStop(&monitor, snapshots))
    }

    /// Rising at every check but by less than ε = 5 % of the arrivals (1 kept of 100 arrived):
    /// the slow creep of ρ ≈ 1.01, which ends by itself in a run by requests, does not stop it.
    func testACreepBelowTheKeptShareDoesNotStop() {
        var monitor = StabilityMonitor(resources: [node])
        let snapshots = (0..<200).map { snapshot($0, backlog: 300_000 + 1_000 * $0, arrived: 100_000 * $0) }
        XCTAssertNil(firstStop(&monitor, snapshots))
    }

    /// The caps: 2²¹ + 1 request records, or 2²² + 1 pending events, stop at once, naming the
    /// resource with the largest backlog.
    func testTheCapsStopAtOnce() throws {
        var monitor = StabilityMonitor(resources: [node])
        XCTAssertNil(monitor.observe(snapshot(0, backlog: 5, arrived: 0)))
        let evidence = try XCTUnwrap(monitor.observe(snapshot(1, backlog: 7, arrived: 10, records: (1 << 21) + 1)))
        XCTAssertEqual(evidence.criterion, .inFlightLimit)
        XCTAssertEqual(evidence.limit, 1 << 21)
        XCTAssertEqual(evidence.saturation?.backlog, 7)
        XCTAssertEqual(evidence.saturation?.backlogBefore, 5)

        var other = StabilityMonitor(resources: [node])
        XCTAssertNil(other.observe(snapshot(0, backlog: 0, arrived: 0, pending: 1 << 22)))
        let events = try XCTUnwrap(other.observe(snapshot(1, backlog: 0, arrived: 0, pending: (1 << 22) + 1)))
        XCTAssertEqual(events.criterion, .pendingEventsLimit)
        XCTAssertNil(events.saturation)  // no backlog anywhere
    }

    /// The in-flight series keeps at most 64 samples: past that it keeps every other one and
    /// samples every second check, and so on; the stop is always the last sample.
    func testTheInFlightSeriesIsThinnedAndEndsAtTheStop() throws {
        var monitor = StabilityMonitor(resources: [node])
        for k in 0..<200 { XCTAssertNil(monitor.observe(snapshot(k, backlog: 0, arrived: 0, records: k))) }
        let evidence = try XCTUnwrap(monitor.observe(snapshot(200, backlog: 0, arrived: 0, records: (1 << 21) + 1)))
        XCTAssertLessThanOrEqual(evidence.inFlight.count, 64)
        XCTAssertEqual(evidence.inFlight.first?.seconds, 0)
        XCTAssertEqual(evidence.inFlight.last?.seconds, 200)
        let steps = zip(evidence.inFlight.dropFirst(), evidence.inFlight).map { $0.seconds - $1.seconds }
        XCTAssertTrue(steps.allSatisfy { $0 > 0 }, "\(steps)")
        XCTAssertEqual(Set(steps.dropLast()).count, 1, "equally spaced before the stop: \(steps)")
    }
}
