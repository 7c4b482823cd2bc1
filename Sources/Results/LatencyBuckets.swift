// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import NumericCore

/// The latency histogram as `summary.json` stores it (`latency_s.histogram`): the recorded
/// buckets merged into 100 logarithmic bins per decade (each about 2.3 % wide), so that the
/// key stays small whatever the number of requests. `seconds[i]` is the largest representative
/// latency counted in `counts[i]`, so the fraction of requests at or below `seconds[i]` is
/// exactly the sum of `counts[0...i]` over the total: the points of the latency CDF.
public struct LatencyBuckets: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case seconds, counts
    }

    public static let binsPerDecade = 100.0

    public var seconds: [Double]
    public var counts: [Int]

    public init(seconds: [Double], counts: [Int]) {
        self.seconds = seconds
        self.counts = counts
    }

    /// The histogram's non-empty buckets (representatives in nanoseconds) merged into bins.
    public init(_ histogram: LatencyHistogram) {
        var seconds: [Double] = []
        var counts: [Int] = []
        var currentBin = Int.min
        for bucket in histogram.buckets {
            let value = Double(bucket.value) / 1e9
            let bin = value > 0 ? Int(floor(log10(value) * Self.binsPerDecade)) : Int.min + 1
            if bin == currentBin, !counts.isEmpty {
                seconds[seconds.count - 1] = value
                counts[counts.count - 1] += bucket.count
            } else {
                seconds.append(value)
                counts.append(bucket.count)
                currentBin = bin
            }
        }
        self.init(seconds: seconds, counts: counts)
    }

    /// (latency, fraction at or below it) for every bin.
    public var cdf: [(seconds: Double, fraction: Double)] {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return [] }
        var running = 0
        return zip(seconds, counts).map { value, count in
            running += count
            return (value, Double(running) / total)
        }
    }
}
