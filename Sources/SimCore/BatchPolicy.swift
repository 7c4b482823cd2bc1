// SPDX-License-Identifier: GPL-3.0-or-later

/// How one class of jobs at a `BatchStation` forms batches.
public struct BatchPolicy: Sendable, Equatable {
    /// Largest batch, at least 1.
    public var maxBatchSize: Int
    /// Longest time the oldest waiting job of the class waits for its batch to fill while a
    /// worker is free, ns (≥ 0).
    public var maxQueueDelay: SimTime

    public init(maxBatchSize: Int, maxQueueDelay: SimTime) {
        self.maxBatchSize = maxBatchSize
        self.maxQueueDelay = maxQueueDelay
    }

    /// No batching: each job is served alone as soon as a worker is free (plain FIFO).
    public static let unbatched = BatchPolicy(maxBatchSize: 1, maxQueueDelay: 0)
}
