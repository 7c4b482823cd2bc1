// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import Results

/// Values within a relative 1e-9 of a bound are at the bound; anything further is not.
final class SLOToleranceTests: XCTestCase {
    func testUpperBound() {
        XCTAssertTrue(SLOTolerance.atMost(30, 30))
        XCTAssertTrue(SLOTolerance.atMost(30.000000000000004, 30), "rounding of a sum at the cap")
        XCTAssertTrue(SLOTolerance.atMost(30 * (1 + 0.9e-9), 30))
        XCTAssertFalse(SLOTolerance.atMost(30 * (1 + 1.1e-9), 30))
        XCTAssertFalse(SLOTolerance.atMost(30.001, 30))
        XCTAssertFalse(SLOTolerance.atMost(.infinity, 30))
        XCTAssertFalse(SLOTolerance.atMost(.nan, 30))
        XCTAssertTrue(SLOTolerance.atMost(0, 0))
        XCTAssertFalse(SLOTolerance.atMost(1e-300, 0), "a zero bound is exact")
    }

    func testLowerBound() {
        XCTAssertTrue(SLOTolerance.atLeast(0.8, 0.8))
        XCTAssertTrue(SLOTolerance.atLeast(0.7999999999999999, 0.8))
        XCTAssertFalse(SLOTolerance.atLeast(0.8 * (1 - 1.1e-9), 0.8))
        XCTAssertFalse(SLOTolerance.atLeast(0.79, 0.8))
    }

    func testMarginAtTheBoundIsZero() {
        XCTAssertEqual(SLOTolerance.margin(-3.552713678800501e-15, bound: 30), 0)
        XCTAssertEqual(SLOTolerance.margin(7.105e-15, bound: 30), 0)
        XCTAssertEqual(SLOTolerance.margin(-0.5, bound: 30), -0.5)
        XCTAssertEqual(SLOTolerance.margin(0.02, bound: 0.8), 0.02)
    }
}
