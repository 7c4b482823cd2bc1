// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

/// Φ⁻¹ against tabulated values (Abramowitz & Stegun 26.2, 16 digits from any reference table):
/// Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.5) = 0, and Φ⁻¹(1 − p) = −Φ⁻¹(p). Tolerance 1e-12
/// (AS 241 is accurate to about 1e-16).
final class StandardNormalTests: XCTestCase {
    func testQuantilesMatchTheTable() {
        XCTAssertEqual(StandardNormal.quantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(StandardNormal.quantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(StandardNormal.quantile(0.841344746068543), 1, accuracy: 1e-12)
    }

    func testQuantilesAreSymmetric() {
        for p in [0.001, 0.1, 0.3, 0.45] {
            XCTAssertEqual(StandardNormal.quantile(p), -StandardNormal.quantile(1 - p), accuracy: 1e-12, "p = \(p)")
        }
    }

    func testTheEndsAreInfinite() {
        XCTAssertEqual(StandardNormal.quantile(0), -.infinity)
        XCTAssertEqual(StandardNormal.quantile(1), .infinity)
    }
}
