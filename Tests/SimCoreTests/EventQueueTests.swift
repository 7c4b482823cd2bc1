// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import SimCore

final class EventQueueTests: XCTestCase {
    /// For every size 0...300 and many seeds: pushing events with random (often equal) times
    /// and popping them all returns them sorted by (time, sequence), and the heap invariant
    /// holds after every operation.
    func testPopsInTimeThenSequenceOrderForEverySize() {
        for size in 0...300 {
            for seed in 0..<3 {
                var random = TestRandom(state: UInt64(size * 31 + seed))
                var queue = EventQueue(initialCapacity: 4)
                var expected: [Event] = []
                for sequence in 0..<size {
                    // Few distinct times, so that ties are frequent.
                    let event = Event(time: SimTime(random.next(below: 20)), sequence: UInt64(sequence),
                                      target: 0, kind: 0, payload: Int64(sequence))
                    queue.push(event)
                    expected.append(event)
                    XCTAssertTrue(queue.isValidHeap())
                }
                expected.sort { $0.precedes($1) }
                var popped: [Event] = []
                while !queue.isEmpty {
                    popped.append(queue.popMin())
                    XCTAssertTrue(queue.isValidHeap())
                }
                XCTAssertEqual(popped, expected, "size \(size) seed \(seed)")
            }
        }
    }

    /// Interleaved pushes and pops (as in a simulation, where each event schedules more)
    /// always pop the minimum of what is pending; compared with a sorted reference.
    func testInterleavedPushAndPopMatchesSortedReference() {
        var random = TestRandom(state: 42)
        var queue = EventQueue(initialCapacity: 4)
        var reference: [Event] = []
        var sequence: UInt64 = 0
        for _ in 0..<20_000 {
            if reference.isEmpty || random.next(below: 3) > 0 {
                let event = Event(time: SimTime(random.next(below: 1000)), sequence: sequence, target: 0, kind: 0, payload: 0)
                sequence += 1
                queue.push(event)
                reference.append(event)
            } else {
                let index = reference.indices.min { reference[$0].precedes(reference[$1]) }!
                XCTAssertEqual(queue.popMin(), reference.remove(at: index))
            }
            XCTAssertEqual(queue.count, reference.count)
        }
        XCTAssertTrue(queue.isValidHeap())
    }

    func testRemoveAllEmptiesTheQueue() {
        var queue = EventQueue()
        for i in 0..<10 { queue.push(Event(time: SimTime(i), sequence: UInt64(i), target: 0, kind: 0, payload: 0)) }
        queue.removeAll()
        XCTAssertTrue(queue.isEmpty)
        XCTAssertNil(queue.min)
    }
}
