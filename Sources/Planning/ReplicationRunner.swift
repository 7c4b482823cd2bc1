// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Results
import ScenarioModel

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

    /// Runs every replication of `config` on up to `jobs` threads (at least 1). `progress`,
    /// when given, hears now and then (from any thread) the fraction done of the whole run,
    /// 0…1: the mean of the replications' `Simulation.progressFraction`. With `trace`,
    /// replication i sends its per-request rows to `trace(i)` (called on the thread that runs it).
    public static func run(_ config: ScenarioConfig, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           options: MeasurementOptions = .init(),
                           progress: (@Sendable (Double) -> Void)? = nil,
                           trace: (@Sendable (Int) throws -> any RequestTraceSink)? = nil) throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let results = try results(config, replications: 0..<max(1, config.run.replications), jobs: jobs, options: options,
                                  progress: progress, trace: trace)
        let elapsed = clock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Outcome(summary: RunSummary(config: config, results: results), results: results, wallSeconds: wall)
    }

    /// Runs the replications with the given indices (the same random streams as in a run of
    /// that many replications: a run can be extended by more replications, as the planner's
    /// racing stages do), on up to `jobs` threads; results in index order. `progress` and
    /// `trace` as in `run`.
    public static func results(_ config: ScenarioConfig, replications: Range<Int>, jobs: Int,
                               options: MeasurementOptions = .init(),
                               progress: (@Sendable (Double) -> Void)? = nil,
                               trace: (@Sendable (Int) throws -> any RequestTraceSink)? = nil) throws -> [ReplicationResult] {
        guard !replications.isEmpty else { return [] }
        let first = replications.lowerBound
        // Build the first replication here so that a configuration error surfaces as a throw.
        // Only thread 0 touches it, so handing it over is safe.
        nonisolated(unsafe) let firstSimulation = try Simulation(config: config, replication: first, options: options)
        let collected = ResultSlots(count: replications.count)
        let threads = max(1, min(jobs, replications.count))
        let fractions = progress.map { ProgressFractions(count: replications.count, report: $0) }
        let reporter: @Sendable (Int) -> ((Double) -> Void)? = { slot in
            fractions.map { shared in { shared.set($0, at: slot) } }
        }
        if let trace { firstSimulation.trace(into: try trace(first)) }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            if thread == 0 { collected.store(firstSimulation.run(progress: reporter(0)), at: 0) }
            while let slot = collected.claimNext() {
                do {
                    let simulation = try Simulation(config: config, replication: first + slot, options: options)
                    if let trace { simulation.trace(into: try trace(first + slot)) }
                    collected.store(simulation.run(progress: reporter(slot)), at: slot)
                } catch {
                    collected.fail(error)
                }
            }
        }
        return try collected.finished()
    }
}

/// Thread-safe slots for replication results and the counter that hands out indices.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ReplicationResult?]
    private var next = 1  // slot 0 is run by thread 0 first
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

/// The progress of each replication, reported as their mean.
private final class ProgressFractions: @unchecked Sendable {
    private let lock = NSLock()
    private var fractions: [Double]
    private let report: @Sendable (Double) -> Void

    init(count: Int, report: @escaping @Sendable (Double) -> Void) {
        fractions = Array(repeating: 0, count: count)
        self.report = report
    }

    func set(_ fraction: Double, at index: Int) {
        let mean = lock.withLock {
            fractions[index] = fraction
            return fractions.reduce(0, +) / Double(fractions.count)
        }
        report(mean)
    }
}
