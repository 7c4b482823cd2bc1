// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

final class ConfidenceIntervalTests: XCTestCase {
    func testStudentTQuantiles() {
        // Reference values (tables; SciPy stats.t.ppf agrees to 1e-13).
        XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: 10), 2.2281388519862735, accuracy: 1e-12)
        XCTAssertEqual(StudentT.quantile(0.995, degreesOfFreedom: 3), 5.840909309733334, accuracy: 1e-11)
        XCTAssertEqual(StudentT.quantile(0.5, degreesOfFreedom: 7), 0, accuracy: 1e-15)
        XCTAssertEqual(StudentT.quantile(0.025, degreesOfFreedom: 10), -2.2281388519862735, accuracy: 1e-12)
        XCTAssertTrue(StudentT.quantile(1.5, degreesOfFreedom: 3).isNaN)
        XCTAssertTrue(StudentT.quantile(0.5, degreesOfFreedom: 0).isNaN)
    }

    func testIntervalOnKnownData() throws {
        // Values 1…5: mean 3, s = √2.5, n = 5, t(0.975, 4) = 2.7764451051977934 (SciPy);
        // half-width = 2.7764451051977934·√2.5/√5.
        let ci = try ConfidenceInterval.forMean(of: [1, 2, 3, 4, 5], level: 0.95)
        XCTAssertEqual(ci.mean, 3)
        XCTAssertEqual(ci.count, 5)
        XCTAssertEqual(ci.level, 0.95)
        XCTAssertEqual(ci.halfWidth, 2.7764451051977934 * (2.5 / 5).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(ci.low, 3 - ci.halfWidth)
        XCTAssertEqual(ci.high, 3 + ci.halfWidth)
        XCTAssertTrue(ci.contains(3) && !ci.contains(5))
    }

    func testCoverageOfNinetyFivePercentIntervals() throws {
        // 2,000 intervals, each from 10 exponential(1) means of 50 draws: nominal coverage
        // 0.95 (slightly less because means of 50 exponentials are a little skewed). The
        // count covered is Binomial(2000, 0.95): sd √(2000·0.95·0.05) = 9.7; tolerance
        // 5 sd = 49 around 1,900 (fixed seed).
        let s = try Sampler(.exponential(mean: 1))
        let rng = RandomStream(seed: 31, replication: 0, name: "coverage")
        var covered = 0
        for _ in 0..<2000 {
            let reps = (0..<10).map { _ in (0..<50).reduce(0.0) { acc, _ in acc + s.sample(rng) } / 50 }
            if try ConfidenceInterval.forMean(of: reps, level: 0.95).contains(1) { covered += 1 }
        }
        XCTAssertEqual(Double(covered), 1900, accuracy: 49)
    }

    func testInvalidInputThrows() {
        assertInvalidArgument(try ConfidenceInterval.forMean(of: [1], level: 0.95), "values")
        assertInvalidArgument(try ConfidenceInterval.forMean(of: [1, 2], level: 1), "level")
        assertInvalidArgument(try ConfidenceInterval.forMean(of: [1, 2], level: 0), "level")
        assertInvalidArgument(try ConfidenceInterval.forMean(of: [1, 2], level: .nan), "level")
        assertInvalidArgument(try ConfidenceInterval.forMean(of: [1, .infinity], level: 0.9), "values")
    }
}
