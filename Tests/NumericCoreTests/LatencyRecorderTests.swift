// SPDX-License-Identifier: GPL-3.0-or-later
@testable import NumericCore
import XCTest

final class LatencyRecorderTests: XCTestCase {
    /// Values of every magnitude up to 2⁵⁰ (so the buckets grow several times), from a fixed stream.
    private func values(_ n: Int, stream: String) -> [Int64] {
        let rng = RandomStream(seed: 7, replication: 0, name: stream)
        return (0..<n).map { _ in
            let bits = Int(rng.nextUInt64() % 51)
            return bits == 0 ? 0 : Int64(bitPattern: rng.nextUInt64() >> UInt64(64 - bits)) & Int64.max
        }
    }

    /// A recorder's histogram is the histogram of the same values, bucket array length
    /// included (same growth), for both the run's and the batches' precision.
    func testHistogramEqualsOneThatRecordedTheSameValues() {
        for bits in [10, 7] {
            var recorder = LatencyRecorder(significantBits: bits)
            var histogram = LatencyHistogram(significantBits: bits)
            for v in values(20_000, stream: "recorder-\(bits)") {
                recorder.record(v)
                histogram.record(v)
            }
            let made = recorder.histogram
            XCTAssertEqual(made, histogram)
            XCTAssertEqual(made.counts.count, histogram.counts.count)
            XCTAssertEqual(made.mean, histogram.mean)
            XCTAssertEqual(made.min, histogram.min)
            XCTAssertEqual(made.max, histogram.max)
            for p in [0.0, 0.5, 0.99, 1] { XCTAssertEqual(made.quantile(p), histogram.quantile(p)) }
        }
    }

    /// After `removeAll` the recorder starts again from nothing (its grown storage kept).
    func testRemoveAllForgetsEveryValue() {
        var recorder = LatencyRecorder(significantBits: 7)
        for v in values(1_000, stream: "before") { recorder.record(v) }
        recorder.removeAll()
        XCTAssertEqual(recorder.count, 0)
        XCTAssertEqual(recorder.histogram, LatencyHistogram(significantBits: 7))
        var histogram = LatencyHistogram(significantBits: 7)
        for v in values(500, stream: "after") {
            recorder.record(v)
            histogram.record(v)
        }
        XCTAssertEqual(recorder.histogram, histogram)
        XCTAssertEqual(recorder.histogram.quantile(0.9), histogram.quantile(0.9))
    }
}
