// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Scenarios

/// Where a sweep's finished points are kept: `PlanningFiles.SweepStore` (the SQLite store) in
/// the program. The runner only needs to know which points are done and how to hand one over.
public protocol SweepRecorder: AnyObject, Sendable {
    /// A finished point ready to be written (made on the thread that simulated it).
    associatedtype PreparedPoint: Sendable
    /// The indices of the points already recorded.
    func finishedPoints() throws -> Set<Int>
    /// `point`, simulated under `seed` with `outcome`, ready to be recorded.
    func prepare(_ point: Sweep.Point, seed: UInt64, outcome: ReplicationRunner.Outcome) -> PreparedPoint
    /// Records prepared points in one transaction (all or none).
    func record(_ points: [PreparedPoint]) throws
}

/// Runs the points of a sweep on several threads into a `SweepRecorder`.
///
/// Each point runs all its replications (`ReplicationRunner`; one thread per point unless there
/// are fewer points than `jobs`) under the seed `SweepSeed` derives from the point itself, so
/// the results do not depend on `jobs`, on the shard, or on which points were already
/// finished: points in the store are skipped (resume), and each finished point is recorded at
/// once.
public enum SweepRunner {
    /// A point could not be simulated.
    public struct PointFailure: Error, CustomStringConvertible {
        public var point: Int
        public var error: any Error
        public var description: String { "sweep point \(point) could not be simulated: \(error)" }
    }

    /// The points of `shard` not yet in `store`, in index order (at most `limit` of them).
    public static func pending(_ sweep: Sweep, shard: SweepShard, store: some SweepRecorder,
                               limit: Int? = nil) throws -> [Sweep.Point] {
        let finished = try store.finishedPoints()
        let points = sweep.points.filter { shard.contains($0.index) && !finished.contains($0.index) }
        return limit.map { Array(points.prefix($0)) } ?? points
    }

    /// Runs `points` on up to `jobs` threads, recording each in `store`; `progress` is called
    /// (from any thread) with the number finished so far. Throws the first failure after the
    /// points in flight finish; the points recorded before it stay recorded.
    public static func run<Store: SweepRecorder>(_ points: [Sweep.Point], jobs: Int, store: Store,
                           progress: (@Sendable (Int) -> Void)? = nil) throws {
        let queue = PointQueue(count: points.count)
        let threads = max(1, min(jobs, points.count))
        // Threads left over when there are fewer points than jobs run replications.
        let replicationJobs = max(1, jobs / threads)
        let writer = GroupCommitWriter(store: store)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let i = queue.claimNext() {
                let point = points[i]
                do {
                    var config = point.config
                    config.seed = SweepSeed.derive(seed: config.seed, canonicalText: point.canonicalText)
                    let outcome = try ReplicationRunner.run(config, jobs: replicationJobs)
                    try writer.record(store.prepare(point, seed: config.seed, outcome: outcome))
                    progress?(queue.finishOne())
                } catch {
                    queue.fail(PointFailure(point: point.index, error: error))
                }
            }
        }
        if let failure = queue.failure { throw failure }
    }
}

/// Hands out point positions to threads; stops handing out after a failure.
private final class PointQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var next = 0
    private var finished = 0
    private var firstFailure: (any Error)?

    init(count: Int) { self.count = count }

    func claimNext() -> Int? {
        lock.withLock {
            guard next < count, firstFailure == nil else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func finishOne() -> Int { lock.withLock { finished += 1; return finished } }

    func fail(_ error: any Error) { lock.withLock { if firstFailure == nil { firstFailure = error } } }

    var failure: (any Error)? { lock.withLock { firstFailure } }
}

/// Writes finished points to the store without making simulation threads queue for its lock:
/// a thread hands its point over; if no thread is writing, it becomes the writer and commits
/// every point handed over meanwhile in one transaction, until none is left ("group commit").
/// Each point is in the store before `record` returns, unless another thread is writing it
/// (then within that thread's current transaction or the next one it makes), so a sweep killed
/// at any moment loses at most the points of the transaction in progress.
private final class GroupCommitWriter<Store: SweepRecorder>: @unchecked Sendable {
    private let store: Store
    private let lock = NSLock()
    private var pending: [Store.PreparedPoint] = []
    private var writing = false

    init(store: Store) { self.store = store }

    func record(_ point: Store.PreparedPoint) throws {
        let leads: Bool = lock.withLock {
            pending.append(point)
            if writing { return false }
            writing = true
            return true
        }
        guard leads else { return }
        while true {
            let batch: [Store.PreparedPoint] = lock.withLock {
                let batch = pending
                pending.removeAll(keepingCapacity: true)
                if batch.isEmpty { writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try store.record(batch)
            } catch {
                lock.withLock { writing = false }
                throw error
            }
        }
    }
}

