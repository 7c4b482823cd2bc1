// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore

final class SumAccumulatorTests: XCTestCase {
    /// Count, sum, mean and extremes of 1...100 by hand: 100, 5050, 50.5, 1, 100.
    func testKnownValues() {
        var a = SumAccumulator()
        XCTAssertTrue(a.mean.isNaN && a.min.isNaN && a.max.isNaN)
        for x in 1...100 { a.add(Double(x)) }
        XCTAssertEqual(a.count, 100)
        XCTAssertEqual(a.sum, 5050)
        XCTAssertEqual(a.mean, 50.5)
        XCTAssertEqual(a.min, 1)
        XCTAssertEqual(a.max, 100)
    }

    /// Merging two halves gives what recording everything gives (sums of small integers are exact).
    func testMergeEqualsRecordingEverything() {
        var all = SumAccumulator(), left = SumAccumulator(), right = SumAccumulator(), empty = SumAccumulator()
        for x in 0..<1000 {
            let value = Double((x * 7919) % 1009)
            all.add(value)
            if x < 400 { left.add(value) } else { right.add(value) }
        }
        left.merge(right)
        left.merge(empty)
        XCTAssertEqual(left, all)
        empty.merge(all)
        XCTAssertEqual(empty, all)
    }

    /// The mean agrees with Welford's on the same data.
    func testMeanAgreesWithWelford() {
        var sums = SumAccumulator(), welford = Welford()
        for i in 0..<10_000 {
            let x = 1.0 / Double(i + 1)
            sums.add(x)
            welford.add(x)
        }
        XCTAssertEqual(sums.mean, welford.mean, accuracy: 1e-15)
        XCTAssertEqual(sums.max, welford.max)
        XCTAssertEqual(sums.min, welford.min)
    }
}
