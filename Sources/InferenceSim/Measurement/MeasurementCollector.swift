// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import SimCore

/// Streaming statistics of the measured completions of one replication: constant memory
/// whatever the number of requests. The batch being filled is kept apart from the finished
/// ones, and latencies go into recorders that own their buckets, so recording a completion
/// touches no array and calls nothing.
struct MeasurementCollector: ~Copyable {
    let batchRule: BatchRule
    let batchCount: Int
    let keepBatchHistograms: Bool

    private(set) var completed = 0
    private(set) var latency = SumAccumulator()
    private var latencies = LatencyRecorder()
    /// The current batch's latencies (recorded only with `keepBatchHistograms`).
    private var batchLatencies = LatencyRecorder(significantBits: MeasurementBatch.histogramBits)
    private(set) var wait = SumAccumulator()
    private(set) var waitedCount = 0
    /// Batches before `currentIndex` (empty ones included for time batches).
    private var finished: [MeasurementBatch] = []
    private var current: MeasurementBatch
    private var currentIndex = 0
    /// The current batch's end (`ends(of:)`): a completion past it starts a later batch, so
    /// the batch of a completion is worked out only when it changes.
    private var currentEnds: (completed: Int, elapsed: SimTime)
    /// Instances booting over all autoscaled pools (written by the autoscalers; nil without
    /// autoscaling), and the scale-out counts it gates.
    private var booting: UnsafePointer<Int>?
    private var scaleOutThreshold: SimTime = .max
    private(set) var scaleOut = ScaleOutCounts()

    init(batchRule: BatchRule, batchCount: Int, keepBatchHistograms: Bool) {
        self.batchRule = batchRule
        self.batchCount = batchCount
        self.keepBatchHistograms = keepBatchHistograms
        current = MeasurementBatch()
        currentEnds = Self.ends(of: 0, batchRule, batchCount)
    }

    /// Every measured latency, as a histogram.
    var latencyHistogram: LatencyHistogram { latencies.histogram }

    /// The batch being filled, its histogram included.
    private var currentBatch: MeasurementBatch {
        var batch = current
        if keepBatchHistograms { batch.latencyHistogram = batchLatencies.histogram }
        return batch
    }

    /// Counts completions while `booting.pointee > 0` into `scaleOut`, with `threshold`
    /// (seconds) for its SLO misses. The pointee must outlive the collector's use.
    mutating func watchScaleOut(booting: UnsafePointer<Int>, threshold: Double?) {
        self.booting = booting
        scaleOut.threshold = threshold
        scaleOutThreshold = threshold.map { SimTimeConversion.nanoseconds(fromSeconds: $0) } ?? .max
    }

    /// Records a completion with end-to-end `latency` and total queueing `wait` (both ns)
    /// that happened `elapsed` ns after measurement began.
    mutating func record(latency latencyNs: SimTime, wait waitNs: SimTime, at elapsed: SimTime) {
        completed &+= 1
        let latencySeconds = SimTimeConversion.seconds(latencyNs)
        let waitSeconds = SimTimeConversion.seconds(waitNs)
        latency.add(latencySeconds)
        latencies.record(latencyNs)
        wait.add(waitSeconds)
        let waited = waitNs > 0 ? 1 : 0
        waitedCount &+= waited
        if let booting, booting.pointee > 0 {
            scaleOut.completed &+= 1
            if latencyNs > scaleOutThreshold { scaleOut.sloMisses &+= 1 }
        }

        if completed > currentEnds.completed || elapsed >= currentEnds.elapsed {
            let batch: Int
            switch batchRule {
            case .count(let size): batch = (completed &- 1) / size
            case .time(let slice): batch = Int(elapsed / slice)
            }
            advance(to: batch)
        }
        guard currentIndex < batchCount else { return }
        current.count &+= 1
        current.latencySum += latencySeconds
        current.waitSum += waitSeconds
        current.waitedCount &+= waited
        if keepBatchHistograms { batchLatencies.record(latencyNs) }
    }

    /// Closes the current batch and any empty ones up to `batch` (time slices with no completion).
    private mutating func advance(to batch: Int) {
        while currentIndex < batch, currentIndex < batchCount {
            finished.append(currentBatch)
            current = MeasurementBatch()
            batchLatencies.removeAll()
            currentIndex += 1
        }
        currentIndex = batch
        currentEnds = Self.ends(of: batch, batchRule, batchCount)
    }

    /// Where batch `batch` ends: after its last completion (count rule), or at the end of its
    /// slice of measured time (time rule); never for the batches past `batchCount`.
    private static func ends(of batch: Int, _ rule: BatchRule, _ batchCount: Int)
        -> (completed: Int, elapsed: SimTime) {
        guard batch < batchCount else { return (.max, .max) }
        switch rule {
        case .count(let size): return ((batch + 1) * size, .max)
        case .time(let slice): return (.max, SimTime(batch + 1) * slice)
        }
    }

    /// The batches that were completely observed in a measurement of `measured` ns.
    func completeBatches(measuredNanoseconds measured: SimTime) -> [MeasurementBatch] {
        var all = finished
        if currentIndex < batchCount { all.append(currentBatch) }
        switch batchRule {
        case .count(let size):
            return all.filter { $0.count == size }
        case .time(let slice):
            let full = Int(min(Int64(batchCount), measured / slice))
            return Array(all.prefix(full))
        }
    }
}
