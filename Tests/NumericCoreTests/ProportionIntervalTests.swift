// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore

final class ProportionIntervalTests: XCTestCase {
    /// Known values (Wilson 95 %, z = 1.959964), computed independently from the formula in
    /// Python: 81 of 263 → [0.25529, 0.36621]; 0 of 10 → [0, 0.27753]; 10 of 10 → [0.72247, 1].
    func testKnownIntervals() throws {
        let a = try ProportionInterval.wilson(successes: 81, trials: 263, level: 0.95)
        XCTAssertEqual(a.estimate, 81.0 / 263.0, accuracy: 1e-15)
        XCTAssertEqual(a.low, 0.2553, accuracy: 5e-5)
        XCTAssertEqual(a.high, 0.3662, accuracy: 5e-5)
        let none = try ProportionInterval.wilson(successes: 0, trials: 10, level: 0.95)
        XCTAssertEqual(none.low, 0)
        XCTAssertEqual(none.high, 0.2775, accuracy: 5e-5)
        let all = try ProportionInterval.wilson(successes: 10, trials: 10, level: 0.95)
        XCTAssertEqual(all.low, 0.7225, accuracy: 5e-5)
        XCTAssertEqual(all.high, 1)
    }

    func testInvalidInputThrows() {
        assertInvalidArgument(try ProportionInterval.wilson(successes: 1, trials: 0, level: 0.95), "trials")
        assertInvalidArgument(try ProportionInterval.wilson(successes: 11, trials: 10, level: 0.95), "successes")
        assertInvalidArgument(try ProportionInterval.wilson(successes: 1, trials: 10, level: 1), "level")
    }
}
