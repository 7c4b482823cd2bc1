// SPDX-License-Identifier: GPL-3.0-or-later

/// Non-overlapping batch means of a (possibly autocorrelated) series of observations, for a
/// standard error of its mean from a single run: observations are grouped, in arrival order,
/// into consecutive batches of `batchSize`; when batches are long compared with the correlation
/// time, their means are nearly independent.
///
/// Memory grows by one `Double` per completed batch.
public struct BatchMeans: Sendable, Equatable {
    /// Observations per batch (≥ 1).
    public let batchSize: Int
    /// Means of the completed batches, in order. A partial last batch is not included.
    public private(set) var batchMeans: [Double] = []
    private var partialSum: Double = 0
    private var partialCount: Int = 0

    /// An estimator with batches of `batchSize` observations; `batchSize` must be ≥ 1 (traps otherwise).
    public init(batchSize: Int) {
        precondition(batchSize >= 1, "BatchMeans: batchSize must be at least 1, got \(batchSize)")
        self.batchSize = batchSize
    }

    /// Adds the next observation.
    public mutating func add(_ x: Double) {
        partialSum += x
        partialCount += 1
        if partialCount == batchSize {
            batchMeans.append(partialSum / Double(batchSize))
            partialSum = 0
            partialCount = 0
        }
    }

    /// Observations in the current, incomplete batch.
    public var pendingCount: Int { partialCount }

    /// Mean of the completed batch means (nil without a completed batch).
    public var mean: Double? {
        batchMeans.isEmpty ? nil : batchMeans.reduce(0, +) / Double(batchMeans.count)
    }

    /// Standard error of the overall mean: sample standard deviation (n − 1) of the batch means
    /// divided by √(number of batches); nil with fewer than two completed batches.
    public var standardError: Double? {
        guard batchMeans.count >= 2 else { return nil }
        var w = Welford()
        for m in batchMeans { w.add(m) }
        return w.standardDeviation / Double(batchMeans.count).squareRoot()
    }
}
