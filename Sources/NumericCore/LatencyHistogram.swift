// SPDX-License-Identifier: GPL-3.0-or-later

/// A log-linear (HdrHistogram-style) histogram of non-negative integers — latencies in
/// nanoseconds — with a guaranteed relative precision, in bounded memory.
///
/// Layout, with s = `significantBits`, S = 2ˢ and H = 2ˢ⁻¹:
/// - a value v < S has a bucket of its own (stored exactly);
/// - a value v ≥ S with highest set bit e (2ᵉ ≤ v < 2ᵉ⁺¹) is shifted right by
///   `shift = e − s + 1` bits; its bucket is [q·2^shift, (q+1)·2^shift − 1] with q = v >> shift
///   in [H, S), so each octave above S is cut into H equal buckets.
///
/// A bucket's *representative* is its lower midpoint, `lo + (2^shift − 1) / 2` (integer
/// division), clamped to [`min`, `max`] of the recorded values. **Precision bound:** for every
/// recorded value v, |representative − v| ≤ 2⁻ˢ · v (`relativePrecision`), and values below 2ˢ
/// are returned exactly. Covers all of 0...Int64.max with S + (63 − s)·H buckets (27,648 for
/// the default s = 10, 216 KB; 3,712 for s = 7); the bucket array grows lazily to the
/// largest value seen (about 13,000 buckets for latencies up to 10 s in nanoseconds).
///
/// `min`, `max`, `count` and the sum behind `mean` are exact.
public struct LatencyHistogram: Sendable, Equatable {
    /// Equal when both recorded the same multiset of bucket counts, min, max and sum with the
    /// same precision (however far their bucket arrays have grown).
    public static func == (l: LatencyHistogram, r: LatencyHistogram) -> Bool {
        guard l.significantBits == r.significantBits, l.tally == r.tally else { return false }
        let n = Swift.max(l.counts.count, r.counts.count)
        for i in 0..<n where (i < l.counts.count ? l.counts[i] : 0) != (i < r.counts.count ? r.counts[i] : 0) {
            return false
        }
        return true
    }

    /// s: the number of significant bits kept per value (1...16).
    public let significantBits: Int
    /// Counts per bucket; grows on demand up to the bucket of the largest value recorded.
    @usableFromInline var counts: [Int]
    /// Count, extremes and exact sum of the recorded values.
    @usableFromInline var tally = Tally()

    /// Count, minimum, maximum and exact sum of recorded values: what a histogram keeps
    /// besides its buckets (shared with `LatencyRecorder`).
    @usableFromInline
    struct Tally: Sendable, Equatable {
        @usableFromInline var recorded: Int = 0
        @usableFromInline var lowest: Int64 = .max
        @usableFromInline var highest: Int64 = 0
        /// Exact sum of the recorded values as a 128-bit number (high and low words).
        @usableFromInline var sumHigh: UInt64 = 0
        @usableFromInline var sumLow: UInt64 = 0

        @usableFromInline init() {}

        /// Counts `value` (≥ 0).
        @inlinable @inline(__always)
        mutating func add(_ value: Int64) {
            recorded &+= 1
            if value < lowest { lowest = value }
            if value > highest { highest = value }
            let (s, carry) = sumLow.addingReportingOverflow(UInt64(value))
            sumLow = s
            if carry { sumHigh &+= 1 }
        }

        /// Counts everything `other` counted.
        mutating func merge(_ other: Tally) {
            recorded += other.recorded
            lowest = Swift.min(lowest, other.lowest)
            highest = Swift.max(highest, other.highest)
            let (s, carry) = sumLow.addingReportingOverflow(other.sumLow)
            sumLow = s
            sumHigh &+= other.sumHigh &+ (carry ? 1 : 0)
        }
    }

    /// An empty histogram that keeps `significantBits` significant bits of every value
    /// (1...16; outside that range is a programming error and traps).
    public init(significantBits: Int = 10) {
        precondition((1...16).contains(significantBits),
                     "LatencyHistogram: significantBits must be in 1...16, got \(significantBits)")
        self.significantBits = significantBits
        counts = [Int](repeating: 0, count: Self.initialBucketCount(significantBits))
    }

    /// The bound on the relative error of a value's representative: 2⁻ˢ.
    public var relativePrecision: Double { Double(sign: .plus, exponent: -significantBits, significand: 1) }

    /// Number of recorded values.
    public var count: Int { tally.recorded }

    /// Smallest recorded value (0 when empty).
    public var min: Int64 { count > 0 ? tally.lowest : 0 }
    /// Largest recorded value (0 when empty).
    public var max: Int64 { tally.highest }
    /// Exact arithmetic mean of the recorded values, rounded once to a `Double` (NaN when empty).
    public var mean: Double {
        guard count > 0 else { return .nan }
        return (Double(tally.sumHigh) * 0x1p64 + Double(tally.sumLow)) / Double(count)
    }

    /// Records one value (≥ 0; a negative value is a programming error and traps).
    /// O(1); allocates only when `value` is larger than every value recorded so far and falls
    /// beyond the buckets that exist.
    @inlinable @inline(__always)
    public mutating func record(_ value: Int64) {
        precondition(value >= 0, "LatencyHistogram: negative value \(value)")
        let i = Self.bucketIndex(UInt64(value), significantBits)
        if i >= counts.count { grow(toInclude: i) }
        counts[i] &+= 1
        tally.add(value)
    }

    /// The bucket of `v`: v itself below 2ˢ, else 2ˢ + (shift − 1)·2ˢ⁻¹ + (q − 2ˢ⁻¹).
    @inlinable @inline(__always)
    static func bucketIndex(_ v: UInt64, _ s: Int) -> Int {
        // Wrapping arithmetic: every intermediate is small (s ≤ 16, e ≤ 63), so nothing wraps;
        // it only spares the hot path the overflow checks.
        let e = 63 &- v.leadingZeroBitCount  // −1 for v = 0
        if e < s { return Int(truncatingIfNeeded: v) }
        let shift = e &- s &+ 1
        let half = 1 &<< (s &- 1)
        return (1 &<< s) &+ (shift &- 1) &* half &+ (Int(truncatingIfNeeded: v &>> UInt64(shift)) &- half)
    }

    /// The inclusive value range [lo, hi] of bucket `i`.
    func bucketRange(_ i: Int) -> (lo: Int64, hi: Int64) {
        let s = significantBits
        if i < 1 << s { return (Int64(i), Int64(i)) }
        let half = 1 << (s - 1)
        let shift = (i - (1 << s)) / half + 1
        let q = Int64((i - (1 << s)) % half + half)
        let lo = q << Int64(shift)
        return (lo, lo + ((Int64(1) << Int64(shift)) - 1))
    }

    /// The representative of bucket `i`: its lower midpoint clamped to [min, max].
    func representative(_ i: Int) -> Int64 {
        let (lo, hi) = bucketRange(i)
        let mid = lo + (hi - lo) / 2
        return Swift.min(Swift.max(mid, tally.lowest), tally.highest)
    }

    @usableFromInline
    mutating func grow(toInclude index: Int) {
        let wanted = Self.grownBucketCount(from: counts.count, toInclude: index, significantBits)
        counts.append(contentsOf: repeatElement(0, count: wanted - counts.count))
    }

    /// How many buckets storage of `current` buckets grows to when bucket `index` is needed:
    /// geometrically (at least doubling, so it reaches full size after a few allocations),
    /// never past the bucket of Int64.max.
    static func grownBucketCount(from current: Int, toInclude index: Int, _ significantBits: Int) -> Int {
        let limit = bucketIndex(UInt64(Int64.max), significantBits) + 1
        return Swift.min(Swift.max(index + 1, current * 2), limit)
    }

    /// The number of buckets a new histogram starts with: every value below 2ˢ⁺¹.
    static func initialBucketCount(_ significantBits: Int) -> Int { 2 << significantBits }

    /// A histogram made of recorded parts (`LatencyRecorder.histogram`).
    init(significantBits: Int, counts: [Int], tally: Tally) {
        self.significantBits = significantBits
        self.counts = counts
        self.tally = tally
    }

    /// Fraction of recorded values ≤ `value`, counting whole buckets: every value in a bucket
    /// that starts at or below `value` counts, so the answer is exact except that values above
    /// `value` in its own bucket (relative width 2⁻⁽ˢ⁻¹⁾) count too. Values exactly at `value`
    /// — a deadline, say — always count. 0 when empty.
    public func fraction(atOrBelow value: Int64) -> Double {
        guard count > 0 else { return 0 }
        var below = 0
        for i in counts.indices where counts[i] > 0 {
            if bucketRange(i).lo > value { break }
            below += counts[i]
        }
        return Double(below) / Double(count)
    }

    /// The nearest-rank quantile: the representative of the bucket holding the ⌈p·n⌉-th
    /// smallest recorded value (rank at least 1), so `quantile(0)` is `min`, `quantile(1)` is
    /// `max`, and every quantile is within `relativePrecision` of the exact nearest-rank value.
    /// `p` is clamped to [0, 1] (NaN counts as 0). Returns 0 when empty.
    public func quantile(_ p: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let pp = p.isNaN ? 0 : Swift.min(Swift.max(p, 0), 1)
        let rank = Swift.max(1, Swift.min(count, Int((pp * Double(count)).rounded(.up))))
        var seen = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank { return representative(i) }
        }
        return tally.highest  // unreachable: the counts sum to `count`
    }

    /// Adds every value recorded in `other` (which must have the same `significantBits`;
    /// a mismatch is a programming error and traps). The result equals a histogram that
    /// recorded both sets of values.
    public mutating func merge(_ other: LatencyHistogram) {
        precondition(other.significantBits == significantBits,
                     "LatencyHistogram.merge: significantBits \(other.significantBits) ≠ \(significantBits)")
        guard other.count > 0 else { return }
        if other.counts.count > counts.count {
            counts.append(contentsOf: repeatElement(0, count: other.counts.count - counts.count))
        }
        for (i, c) in other.counts.enumerated() where c > 0 { counts[i] += c }
        tally.merge(other.tally)
    }

    /// (representative, count) of every non-empty bucket in increasing order, e.g. for plots
    /// or for writing the histogram out.
    public var buckets: [(value: Int64, count: Int)] {
        counts.indices.filter { counts[$0] > 0 }.map { (representative($0), counts[$0]) }
    }
}
