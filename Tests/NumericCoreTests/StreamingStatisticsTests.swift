// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

final class StreamingStatisticsTests: XCTestCase {
    func testWelfordOnKnownData() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
        var w = Welford()
        for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { w.add(x) }
        XCTAssertEqual(w.count, 8)
        XCTAssertEqual(w.mean, 5)
        XCTAssertEqual(w.variance, 32.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(w.standardDeviation, (32.0 / 7).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(w.min, 2)
        XCTAssertEqual(w.max, 9)
    }

    func testWelfordEmptyAndSingle() {
        var w = Welford()
        XCTAssertTrue(w.mean.isNaN && w.variance.isNaN && w.min.isNaN && w.max.isNaN)
        w.add(3)
        XCTAssertEqual(w.mean, 3)
        XCTAssertTrue(w.variance.isNaN)
    }

    func testWelfordIsStableWithALargeOffset() {
        // Values 1e9 + {0, 1, 2} (repeated): the naive Σx² − n·x̄² loses every digit here;
        // Welford must return variance 2/3 · n/(n−1) to ~1e-9 relative.
        var w = Welford()
        for i in 0..<30_000 { w.add(1e9 + Double(i % 3)) }
        XCTAssertEqual(w.variance, 2.0 / 3 * 30_000 / 29_999, accuracy: 1e-6)
    }

    func testWelfordMergeEqualsSequential() {
        let rng = RandomStream(seed: 1, replication: 0, name: "welford")
        let xs = (0..<10_001).map { _ in 100 + rng.nextUniform() * 50 }
        var all = Welford()
        for x in xs { all.add(x) }
        var parts = [Welford(), Welford(), Welford()]
        for (i, x) in xs.enumerated() { parts[i < 17 ? 0 : (i < 6000 ? 1 : 2)].add(x) }
        var merged = Welford()
        for p in parts { merged.merge(p) }
        merged.merge(Welford())
        XCTAssertEqual(merged.count, all.count)
        XCTAssertEqual(merged.mean, all.mean, accuracy: 1e-12 * all.mean)
        XCTAssertEqual(merged.variance, all.variance, accuracy: 1e-10 * all.variance)
        XCTAssertEqual(merged.min, all.min)
        XCTAssertEqual(merged.max, all.max)
    }

    func testTimeWeightedAverage() {
        // Signal: 2 on [0, 1), 5 on [1, 4), 0 on [4, 6): integral 2 + 15 + 0 = 17 over 6 s.
        var t = TimeWeightedAverage(startTime: 0, initialValue: 2)
        XCTAssertEqual(t.mean(at: 0), 2)  // no elapsed time: the current value
        t.update(at: 1, to: 5)
        t.update(at: 4, to: 0)
        XCTAssertEqual(t.integral(at: 6), 17)
        XCTAssertEqual(t.mean(at: 6), 17.0 / 6)
        XCTAssertEqual(t.mean(at: 4), 17.0 / 4)
        // Several updates at the same instant: only the last value counts afterwards.
        t.update(at: 6, to: 9)
        t.update(at: 6, to: 1)
        XCTAssertEqual(t.integral(at: 8), 19)
    }

    func testTimeWeightedAverageResetKeepsCurrentValue() {
        // Warm-up ends at t = 10 with the signal at 3: afterwards only [10, …) counts.
        var t = TimeWeightedAverage(startTime: 0, initialValue: 100)
        t.update(at: 5, to: 3)
        t.reset(at: 10)
        XCTAssertEqual(t.startTime, 10)
        XCTAssertEqual(t.value, 3)
        XCTAssertEqual(t.integral(at: 10), 0)
        t.update(at: 12, to: 1)
        // 3 on [10, 12), 1 on [12, 14): integral 8 over 4.
        XCTAssertEqual(t.mean(at: 14), 2)
    }
}
