// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim

/// Runs the replications of a scenario on several threads.
///
/// Each replication is an independent `Simulation` with its own random streams (selected by
/// its index), and results are combined in replication order, so the outcome does not depend
/// on `jobs` or on which thread ran what. Only the wall-clock time differs between runs.
public enum ReplicationRunner {
    /// What a run produced.
    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var results: [ReplicationResult]
        /// Wall-clock seconds spent simulating (building and running every replication).
        public var wallSeconds: Double
    }

    /// Runs every replication of `config` on up to `jobs` threads (at least 1). With `trace`,
    /// replication i sends its per-request rows to `trace(i)` (called on the thread that runs it).
    public static func run(_ config: ScenarioConfig, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           options: MeasurementOptions = .init(),
                           trace: (@Sendable (Int) throws -> any RequestTraceSink)? = nil) throws -> Outcome {
        let count = max(1, config.run.replications)
        let clock = ContinuousClock()
        let started = clock.now
        // Build the first replication here so that a configuration error surfaces as a throw.
        // Only thread 0 touches it, so handing it over is safe.
        nonisolated(unsafe) let first = try Simulation(config: config, replication: 0, options: options)
        if let trace { first.trace(into: try trace(0)) }
        let collected = ResultSlots(count: count)
        let threads = max(1, min(jobs, count))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            if thread == 0 { collected.store(first.run(), at: 0) }
            while let index = collected.claimNext() {
                do {
                    let simulation = try Simulation(config: config, replication: index, options: options)
                    if let trace { simulation.trace(into: try trace(index)) }
                    collected.store(simulation.run(), at: index)
                } catch {
                    collected.fail(error)
                }
            }
        }
        let results = try collected.finished()
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Outcome(summary: RunSummary(config: config, results: results), results: results, wallSeconds: wall)
    }
}

/// Thread-safe slots for replication results and the counter that hands out indices.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ReplicationResult?]
    private var next = 1  // replication 0 is run by thread 0 first
    private var failure: (any Error)?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        defer { next += 1 }
        return next
    }

    func store(_ result: ReplicationResult, at index: Int) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func fail(_ error: any Error) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }

    /// The results in replication order, or the first failure.
    func finished() throws -> [ReplicationResult] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return slots.map { $0! }
    }
}
