// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import SimCore

final class RingBufferTests: XCTestCase {
    /// Random appends and removals, forcing wrap-around and growth, behave like an array queue.
    func testBehavesLikeAQueueThroughWrapAroundAndGrowth() {
        var random = TestRandom(state: 7)
        var ring = RingBuffer<Int64>(initialCapacity: 4)
        var reference: [Int64] = []
        var next: Int64 = 0
        for _ in 0..<50_000 {
            if reference.isEmpty || random.next(below: 5) < 3 {
                ring.append(next)
                reference.append(next)
                next += 1
            } else {
                XCTAssertEqual(ring.removeFirst(), reference.removeFirst())
            }
            XCTAssertEqual(ring.count, reference.count)
            XCTAssertEqual(ring.first, reference.first)
        }
    }
}
