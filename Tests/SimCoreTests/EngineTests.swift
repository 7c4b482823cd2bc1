// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

/// Records every event it receives with the clock at that moment, and runs an optional action.
private final class Recorder: EventHandler {
    var seen: [(time: SimTime, now: SimTime, payload: Int64)] = []
    var action: ((Event, Engine) -> Void)?

    func handle(_ event: Event, engine: Engine) {
        seen.append((event.time, engine.now, event.payload))
        action?(event, engine)
    }
}

final class EngineTests: XCTestCase {
    // Ordering rule: events run in increasing time; at equal times, in scheduling order.

    /// Three events at the same instant, scheduled as 0, 1, 2, run as 0, 1, 2; an earlier
    /// event scheduled last still runs first.
    func testSameTimeEventsRunInSchedulingOrder() {
        let engine = Engine()
        let recorder = Recorder()
        let id = engine.register(recorder)
        engine.schedule(at: 10, target: id, payload: 0)
        engine.schedule(at: 10, target: id, payload: 1)
        engine.schedule(at: 10, target: id, payload: 2)
        engine.schedule(at: 5, target: id, payload: 3)
        XCTAssertEqual(engine.run(), .exhausted)
        XCTAssertEqual(recorder.seen.map(\.payload), [3, 0, 1, 2])
    }

    /// The clock is set to the event's time before its handler runs.
    func testClockIsAdvancedBeforeTheHandlerRuns() {
        let engine = Engine()
        let recorder = Recorder()
        let id = engine.register(recorder)
        for t: SimTime in [7, 3, 12] { engine.schedule(at: t, target: id) }
        engine.run()
        XCTAssertEqual(recorder.seen.map(\.now), [3, 7, 12])
        XCTAssertEqual(recorder.seen.map(\.time), recorder.seen.map(\.now))
        XCTAssertEqual(engine.now, 12)
        XCTAssertEqual(engine.eventsProcessed, 3)
    }

    /// An event scheduled for `now` from inside a handler runs after every event already
    /// scheduled for `now` (it takes a later sequence number), and before later times.
    func testEventScheduledForNowFromAHandlerRunsAfterTheOnesAlreadyDue() {
        let engine = Engine()
        let recorder = Recorder()
        let id = engine.register(recorder)
        recorder.action = { event, engine in
            if event.payload == 0 { engine.schedule(after: 0, target: id, payload: 9) }
        }
        engine.schedule(at: 1, target: id, payload: 0)
        engine.schedule(at: 1, target: id, payload: 1)
        engine.schedule(at: 2, target: id, payload: 2)
        engine.run()
        XCTAssertEqual(recorder.seen.map(\.payload), [0, 1, 9, 2])
    }

    /// `stop()` returns after the current handler; `run` can then continue where it stopped.
    func testStopReturnsAfterTheCurrentEventAndRunResumes() {
        let engine = Engine()
        let recorder = Recorder()
        let id = engine.register(recorder)
        recorder.action = { event, engine in if event.payload == 1 { engine.stop() } }
        for i in 0..<4 { engine.schedule(at: SimTime(i), target: id, payload: Int64(i)) }
        XCTAssertEqual(engine.run(), .stopped)
        XCTAssertEqual(recorder.seen.map(\.payload), [0, 1])
        XCTAssertEqual(engine.pendingEvents, 2)
        XCTAssertEqual(engine.run(), .exhausted)
        XCTAssertEqual(recorder.seen.map(\.payload), [0, 1, 2, 3])
    }

    /// With a time limit the loop leaves later events pending and sets the clock to the limit.
    func testTimeLimitLeavesLaterEventsPending() {
        let engine = Engine()
        let recorder = Recorder()
        let id = engine.register(recorder)
        for t: SimTime in [10, 20, 30] { engine.schedule(at: t, target: id) }
        XCTAssertEqual(engine.run(until: 25), .timeLimit)
        XCTAssertEqual(recorder.seen.count, 2)
        XCTAssertEqual(engine.now, 25)
        XCTAssertEqual(engine.pendingEvents, 1)
    }

    /// Events reach the handler named by their target, with their kind and payload.
    func testEventsReachTheirTargets() {
        let engine = Engine()
        let a = Recorder(), b = Recorder()
        let idA = engine.register(a), idB = engine.register(b)
        engine.schedule(at: 1, target: idB, kind: 4, payload: 40)
        engine.schedule(at: 2, target: idA, kind: 5, payload: 50)
        engine.run()
        XCTAssertEqual(a.seen.map(\.payload), [50])
        XCTAssertEqual(b.seen.map(\.payload), [40])
    }
}
