// SPDX-License-Identifier: GPL-3.0-or-later

/// The recording half of a `LatencyHistogram`, for a simulation's hot loop: the same buckets,
/// growth and tally, in storage it owns alone, so recording a value makes no copy-on-write
/// check and no call. `histogram` turns what was recorded into a `LatencyHistogram` equal to
/// one that recorded the same values.
///
/// Not copyable: exactly one owner records into the storage and frees it.
public struct LatencyRecorder: ~Copyable {
    /// s: significant bits kept per value (1...16), as in `LatencyHistogram`.
    public let significantBits: Int
    @usableFromInline var counts: UnsafeMutablePointer<Int>
    @usableFromInline var bucketCount: Int
    @usableFromInline var tally = LatencyHistogram.Tally()

    /// An empty recorder keeping `significantBits` significant bits of every value (1...16;
    /// outside that range is a programming error and traps).
    public init(significantBits: Int = 10) {
        precondition((1...16).contains(significantBits),
                     "LatencyRecorder: significantBits must be in 1...16, got \(significantBits)")
        self.significantBits = significantBits
        bucketCount = LatencyHistogram.initialBucketCount(significantBits)
        counts = .allocate(capacity: bucketCount)
        counts.initialize(repeating: 0, count: bucketCount)
    }

    deinit {
        counts.deallocate()
    }

    /// Number of recorded values.
    public var count: Int { tally.recorded }

    /// Records one value (≥ 0; a negative value is a programming error and traps). O(1);
    /// allocates only when `value` falls beyond the buckets that exist.
    @inlinable @inline(__always)
    public mutating func record(_ value: Int64) {
        precondition(value >= 0, "LatencyRecorder: negative value \(value)")
        let i = LatencyHistogram.bucketIndex(UInt64(value), significantBits)
        if i >= bucketCount { grow(toInclude: i) }
        counts[i] &+= 1
        tally.add(value)
    }

    @usableFromInline
    mutating func grow(toInclude index: Int) {
        let wanted = LatencyHistogram.grownBucketCount(from: bucketCount, toInclude: index, significantBits)
        let larger = UnsafeMutablePointer<Int>.allocate(capacity: wanted)
        larger.moveInitialize(from: counts, count: bucketCount)
        (larger + bucketCount).initialize(repeating: 0, count: wanted - bucketCount)
        counts.deallocate()
        counts = larger
        bucketCount = wanted
    }

    /// Everything recorded so far, as a histogram.
    public var histogram: LatencyHistogram {
        LatencyHistogram(significantBits: significantBits,
                         counts: Array(UnsafeBufferPointer(start: counts, count: bucketCount)), tally: tally)
    }

    /// Forgets every value (the storage is kept).
    public mutating func removeAll() {
        counts.update(repeating: 0, count: bucketCount)
        tally = LatencyHistogram.Tally()
    }
}
