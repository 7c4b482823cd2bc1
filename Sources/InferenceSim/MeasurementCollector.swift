// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// Streaming statistics of the measured completions of one replication: constant memory
/// whatever the number of requests.
struct MeasurementCollector {
    let batchRule: BatchRule
    let batchCount: Int
    let keepBatchHistograms: Bool

    private(set) var completed = 0
    private(set) var latency = Welford()
    private(set) var latencyHistogram = LatencyHistogram()
    private(set) var wait = Welford()
    private(set) var waitedCount = 0
    private var batches: [MeasurementBatch] = []

    init(batchRule: BatchRule, batchCount: Int, keepBatchHistograms: Bool) {
        self.batchRule = batchRule
        self.batchCount = batchCount
        self.keepBatchHistograms = keepBatchHistograms
    }

    /// Records a completion with end-to-end `latency` and total queueing `wait` (both ns)
    /// that happened `elapsed` ns after measurement began.
    mutating func record(latency latencyNs: SimTime, wait waitNs: SimTime, at elapsed: SimTime) {
        completed += 1
        let latencySeconds = SimTimeConversion.seconds(latencyNs)
        let waitSeconds = SimTimeConversion.seconds(waitNs)
        latency.add(latencySeconds)
        latencyHistogram.record(latencyNs)
        wait.add(waitSeconds)
        if waitNs > 0 { waitedCount += 1 }

        let batch: Int
        switch batchRule {
        case .count(let size): batch = (completed - 1) / size
        case .time(let slice): batch = Int(elapsed / slice)
        }
        guard batch < batchCount else { return }
        while batches.count <= batch { batches.append(MeasurementBatch(keepHistogram: keepBatchHistograms)) }
        batches[batch].latency.add(latencySeconds)
        batches[batch].wait.add(waitSeconds)
        if waitNs > 0 { batches[batch].waitedCount += 1 }
        batches[batch].latencyHistogram?.record(latencyNs)
    }

    /// The batches that were completely observed in a measurement of `measured` ns.
    func completeBatches(measuredNanoseconds measured: SimTime) -> [MeasurementBatch] {
        switch batchRule {
        case .count(let size):
            return batches.filter { $0.latency.count == size }
        case .time(let slice):
            let full = Int(min(Int64(batchCount), measured / slice))
            return Array(batches.prefix(full))
        }
    }
}
