// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore

/// `ChiSquare`: GSL's upper tail against closed forms, and the homogeneity test of means with
/// standard errors computed by hand.
final class ChiSquareTests: XCTestCase {
    /// With 2 degrees of freedom χ² is exponential of mean 2: P(X > x) = e^(−x/2). With 1, the
    /// 95 % critical value is 1.959963984540054² = 3.841458820694124 (z of the normal).
    func testUpperTailAgainstClosedForms() {
        for x in [0.1, 1, 2.5, 10] {
            XCTAssertEqual(ChiSquare.upperTail(x, degreesOfFreedom: 2), exp(-x / 2), accuracy: 1e-14)
        }
        XCTAssertEqual(ChiSquare.upperTail(3.841458820694124, degreesOfFreedom: 1), 0.05, accuracy: 1e-12)
        XCTAssertEqual(ChiSquare.upperTail(0, degreesOfFreedom: 3), 1)
        XCTAssertTrue(ChiSquare.upperTail(1, degreesOfFreedom: 0).isNaN)
    }

    /// Means 1, 2, 3 with standard errors 1: m̄_w = 2, χ² = 1 + 0 + 1 = 2, 2 degrees of freedom,
    /// p = e^(−1). Means 10 and 12 with standard errors 1 and 2: weights 1 and 1/4, m̄_w =
    /// (10 + 3) / 1.25 = 10.4, χ² = 0.4² · 1 + 1.6² / 4 = 0.8, 1 degree of freedom.
    func testHomogeneityByHand() throws {
        let three = try XCTUnwrap(ChiSquare.homogeneity(means: [1, 2, 3], standardErrors: [1, 1, 1]))
        XCTAssertEqual(three.weightedMean, 2, accuracy: 1e-15)
        XCTAssertEqual(three.statistic, 2, accuracy: 1e-15)
        XCTAssertEqual(three.degreesOfFreedom, 2)
        XCTAssertEqual(three.pValue, exp(-1), accuracy: 1e-14)
        let two = try XCTUnwrap(ChiSquare.homogeneity(means: [10, 12], standardErrors: [1, 2]))
        XCTAssertEqual(two.weightedMean, 10.4, accuracy: 1e-14)
        XCTAssertEqual(two.statistic, 0.8, accuracy: 1e-13)
        XCTAssertEqual(two.degreesOfFreedom, 1)
        XCTAssertNil(ChiSquare.homogeneity(means: [1], standardErrors: [1]))
        XCTAssertNil(ChiSquare.homogeneity(means: [1, 2], standardErrors: [1, 0]))
    }
}
