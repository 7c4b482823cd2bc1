// SPDX-License-Identifier: GPL-3.0-or-later
@testable import NumericCore
import XCTest

final class LatencyHistogramTests: XCTestCase {
    /// Nearest-rank quantile of a sorted array: the ⌈p·n⌉-th smallest (rank ≥ 1).
    private func exactQuantile(_ sorted: [Int64], _ p: Double) -> Int64 {
        let rank = max(1, min(sorted.count, Int((p * Double(sorted.count)).rounded(.up))))
        return sorted[rank - 1]
    }

    /// Log-uniform values over [0, 2^maxBits): a few of every magnitude.
    private func logUniformValues(_ n: Int, maxBits: Int, stream: String) -> [Int64] {
        let rng = RandomStream(seed: 42, replication: 0, name: stream)
        return (0..<n).map { _ in
            let bits = Int(rng.nextUInt64() % UInt64(maxBits + 1))
            return bits == 0 ? 0 : Int64(bitPattern: rng.nextUInt64() >> UInt64(64 - bits)) & Int64.max
        }
    }

    func testSmallValuesAreExact() {
        var h = LatencyHistogram(significantBits: 7)
        for v in Int64(0)..<128 { h.record(v) }
        XCTAssertEqual(h.count, 128)
        XCTAssertEqual(h.min, 0)
        XCTAssertEqual(h.max, 127)
        XCTAssertEqual(h.mean, 63.5)
        // Nearest rank among 0...127: rank ⌈p·128⌉ holds value rank − 1.
        XCTAssertEqual(h.quantile(0), 0)
        XCTAssertEqual(h.quantile(0.5), 63)
        XCTAssertEqual(h.quantile(0.99), 126)  // ⌈126.72⌉ = 127th smallest = 126
        XCTAssertEqual(h.quantile(1), 127)
        for v in Int64(0)..<128 {
            XCTAssertEqual(h.bucketRange(LatencyHistogram.bucketIndex(UInt64(v), 7)).lo, v)
        }
    }

    func testEveryValueIsWithinTheStatedRelativePrecision() {
        // For each s, 200,000 log-uniform values plus every power of two ± 1 and Int64.max:
        // the value lies in its bucket's range, and |representative − v| ≤ 2⁻ˢ·v.
        for s in [1, 3, 7, 10, 16] {
            var values = logUniformValues(200_000, maxBits: 63, stream: "precision-\(s)")
            for e in 0..<63 {
                let p = Int64(1) << Int64(e)
                values += [p - 1, p, p + 1]
            }
            values.append(.max)
            var h = LatencyHistogram(significantBits: s)
            h.record(0); h.record(.max)  // so the clamp to [min, max] is a no-op below
            XCTAssertEqual(h.relativePrecision, pow(2, -Double(s)))
            var worst = 0.0
            for v in values {
                let i = LatencyHistogram.bucketIndex(UInt64(v), s)
                let (lo, hi) = h.bucketRange(i)
                XCTAssertTrue(lo <= v && v <= hi, "s=\(s) v=\(v) not in [\(lo), \(hi)]")
                let rep = h.representative(i)
                if v > 0 { worst = max(worst, Double(v > rep ? v - rep : rep - v) / Double(v)) }
                if v < Int64(1) << Int64(s) { XCTAssertEqual(rep, v) }
            }
            XCTAssertLessThanOrEqual(worst, h.relativePrecision, "s=\(s)")
            // …and the bound is nearly attained, so it is the right one to state.
            XCTAssertGreaterThan(worst, 0.9 * h.relativePrecision, "s=\(s)")
            // Bucket count: 2ˢ + (63 − s)·2ˢ⁻¹.
            XCTAssertEqual(LatencyHistogram.bucketIndex(UInt64(Int64.max), s) + 1, (1 << s) + (63 - s) * (1 << (s - 1)))
        }
    }

    func testQuantilesMatchExactNearestRankWithinPrecision() {
        // Latencies in ns from a lognormal (mean 30 ms, cv 1.5) plus a few huge outliers.
        let sampler = try! Sampler(.lognormal(mean: 3e7, cv: 1.5))
        let rng = RandomStream(seed: 8, replication: 0, name: "latency")
        var values = (0..<100_000).map { _ in Int64(sampler.sample(rng)) }
        values += [0, 1, 5_000_000_000_000, 4_611_686_018_427_387_904]
        var h = LatencyHistogram()
        for v in values { h.record(v) }
        let sorted = values.sorted()
        for p in [0, 1e-6, 0.001, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.99999, 1] {
            let exact = exactQuantile(sorted, p)
            let got = h.quantile(p)
            XCTAssertLessThanOrEqual(abs(Double(got) - Double(exact)), h.relativePrecision * Double(exact),
                                     "p=\(p): \(got) vs exact \(exact)")
        }
        XCTAssertEqual(h.quantile(0), 0)
        XCTAssertEqual(h.quantile(1), 4_611_686_018_427_387_904)
        XCTAssertEqual(h.quantile(-3), h.quantile(0))
        XCTAssertEqual(h.quantile(7), h.quantile(1))
        XCTAssertEqual(h.count, values.count)
        XCTAssertEqual(h.min, 0)
        XCTAssertEqual(h.max, sorted.last)
        // The mean is exact: compare with the sum computed in Decimal-free 128-bit arithmetic.
        var hi: UInt64 = 0, lo: UInt64 = 0
        for v in values {
            let (s, c) = lo.addingReportingOverflow(UInt64(v)); lo = s; if c { hi += 1 }
        }
        XCTAssertEqual(h.mean, (Double(hi) * 0x1p64 + Double(lo)) / Double(values.count))
    }

    func testMeanDoesNotOverflowInt64() {
        var h = LatencyHistogram()
        for _ in 0..<4 { h.record(.max) }
        XCTAssertEqual(h.mean, Double(Int64.max))
    }

    func testMergeEqualsRecordingEverything() {
        let values = logUniformValues(50_000, maxBits: 50, stream: "merge")
        var all = LatencyHistogram(), a = LatencyHistogram(), b = LatencyHistogram()
        for (i, v) in values.enumerated() {
            all.record(v)
            if i % 3 == 0 { a.record(v) } else { b.record(v) }
        }
        var merged = a
        merged.merge(b)
        XCTAssertEqual(merged, all)
        XCTAssertEqual(merged.count, values.count)
        XCTAssertEqual(merged.mean, all.mean)
        for p in [0.0, 0.5, 0.99, 1] { XCTAssertEqual(merged.quantile(p), all.quantile(p)) }
        // Merging into an empty histogram, and merging an empty one, change nothing else.
        var empty = LatencyHistogram()
        empty.merge(all)
        XCTAssertEqual(empty, all)
        all.merge(LatencyHistogram())
        XCTAssertEqual(empty, all)
    }

    /// The default keeps 10 significant bits: percentiles within 2⁻¹⁰ ≈ 0.1 % of the exact ones.
    func testDefaultPrecisionIsATenthOfAPercent() {
        XCTAssertEqual(LatencyHistogram().significantBits, 10)
        XCTAssertLessThanOrEqual(LatencyHistogram().relativePrecision, 0.001)
    }

    /// fraction(atOrBelow:) against exact counts: values ≤ v always count; values above v
    /// count only when they share v's bucket (at most 2⁻⁽ˢ⁻¹⁾·v above it).
    func testFractionAtOrBelow() {
        var h = LatencyHistogram()
        let values: [Int64] = (0..<5_000).map { Int64($0) * 37_011 } + Array(repeating: 150_000_000, count: 700)
        for v in values { h.record(v) }
        XCTAssertEqual(LatencyHistogram().fraction(atOrBelow: 5), 0)
        for v: Int64 in [0, 1_000, 150_000_000, 100_000_000, 184_999_999, 10_000_000_000] {
            let exact = values.filter { $0 <= v }.count
            let loose = values.filter { Double($0) <= Double(v) * (1 + 2 * h.relativePrecision) }.count
            let got = (h.fraction(atOrBelow: v) * Double(values.count)).rounded()
            XCTAssertGreaterThanOrEqual(got, Double(exact), "v = \(v)")
            XCTAssertLessThanOrEqual(got, Double(loose), "v = \(v)")
        }
    }

    func testEmptyHistogram() {
        let h = LatencyHistogram()
        XCTAssertEqual(h.count, 0)
        XCTAssertEqual(h.quantile(0.5), 0)
        XCTAssertTrue(h.mean.isNaN)
        XCTAssertEqual(h.min, 0)
        XCTAssertEqual(h.max, 0)
        XCTAssertTrue(h.buckets.isEmpty)
    }

    func testBucketsListRepresentativesAndCounts() {
        var h = LatencyHistogram(significantBits: 2)
        // s = 2: exact below 4; [4,5] [6,7] [8,11] [12,15] ...
        for v: Int64 in [1, 1, 3, 4, 5, 9, 10] { h.record(v) }
        XCTAssertEqual(h.buckets.map(\.value), [1, 3, 4, 9])
        XCTAssertEqual(h.buckets.map(\.count), [2, 1, 2, 2])
    }
}
