// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// `ProcessorSharingStation` with a `capacity` C below its cores: each of n jobs in service
/// progresses at r(n) = min(1, C / n). Exact schedules, worked out by hand in each comment.
final class ProcessorSharingCapacityTests: XCTestCase {
    private func run(cores: Int, capacity: Double?, arrivals: [(at: SimTime, work: SimTime)])
        -> (SharingDelegate, ProcessorSharingStation) {
        let engine = Engine()
        let table = Dictionary(uniqueKeysWithValues: arrivals.enumerated().map { (Int64($0.offset), $0.element.work) })
        let delegate = SharingDelegate(table: table)
        let station = ProcessorSharingStation(name: "ps", cores: cores, maxInFlight: 10, capacity: capacity,
                                              delegate: delegate, engine: engine)
        let feeder = engine.register(SharingFeeder(station: station))
        for (job, arrival) in arrivals.enumerated() { engine.schedule(at: arrival.at, target: feeder, payload: Int64(job)) }
        engine.run()
        return (delegate, station)
    }

    /// C = 1.5 on 2 cores, work 300 each. One job alone runs at rate 1 (done at 300). Two at
    /// t = 0 run at 0.75 each: done at 400 (without a capacity, 2 cores: 300). Three at t = 0
    /// run at 0.5: done at 600.
    func testFractionalCapacitySlowsDownFromTheSecondJob() {
        XCTAssertEqual(run(cores: 2, capacity: 1.5, arrivals: [(0, 300)]).0.completed.map(\.at), [300])
        XCTAssertEqual(run(cores: 2, capacity: 1.5, arrivals: [(0, 300), (0, 300)]).0.completed.map(\.at), [400, 400])
        XCTAssertEqual(run(cores: 2, capacity: nil, arrivals: [(0, 300), (0, 300)]).0.completed.map(\.at), [300, 300])
        let (three, _) = run(cores: 2, capacity: 1.5, arrivals: [(0, 300), (0, 300), (0, 300)])
        XCTAssertEqual(three.completed.map(\.at), [600, 600, 600])
        XCTAssertEqual(three.slowdowns, [300, 300, 300])
    }

    /// C = 1.5, work 150 at t = 0 and 300 at t = 0: both at 0.75 until the first has had 150
    /// (t = 200; the second has 150 left), then the second alone at rate 1 (t = 350).
    func testRateRisesWhenAJobLeaves() {
        let (delegate, _) = run(cores: 2, capacity: 1.5, arrivals: [(0, 150), (0, 300)])
        XCTAssertEqual(delegate.completed.map(\.job), [0, 1])
        XCTAssertEqual(delegate.completed.map(\.at), [200, 350])
    }

    /// C = 0.5 on 1 core slows even a lone job: work 100 takes 200. The statistics count the
    /// thread on its core: busy core-time 200 of 200, utilisation 1.
    func testCapacityBelowOneSlowsALoneJob() {
        let (delegate, station) = run(cores: 1, capacity: 0.5, arrivals: [(0, 100)])
        XCTAssertEqual(delegate.completed.map(\.at), [200])
        XCTAssertEqual(station.utilization(at: 200), 1, accuracy: 1e-12)
    }
}
