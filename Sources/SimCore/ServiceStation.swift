// SPDX-License-Identifier: GPL-3.0-or-later

/// A station of parallel workers as the rest of the simulation sees it, whatever its queueing
/// discipline (`FIFOStation`, `BatchStation`): its state, its time integrals since
/// `statisticsStart`, and resizing (an autoscaled pool). Off the hot path: the request flow
/// calls the concrete stations directly.
public protocol ServiceStation: AnyObject {
    var name: String { get }
    /// Parallel workers now.
    var workers: Int { get }
    /// Workers serving now (a batch counts as one).
    var busyWorkers: Int { get }
    /// Jobs waiting (not in service).
    var waiting: Int { get }
    /// When the statistics were last reset.
    var statisticsStart: SimTime { get }
    /// Jobs that arrived since `statisticsStart`.
    var arrivals: Int { get }
    /// Jobs that completed service since `statisticsStart`.
    var completions: Int { get }
    /// Busy worker-time over available worker-time since `statisticsStart`.
    func utilization(at time: SimTime) -> Double
    /// ∫ busy workers dt since `statisticsStart`, worker·ns.
    func busyWorkerTime(at time: SimTime) -> Double
    /// ∫ workers dt since `statisticsStart`, worker·ns.
    func availableWorkerTime(at time: SimTime) -> Double
    /// ∫ waiting dt since `statisticsStart`, job·ns.
    func waitingTime(at time: SimTime) -> Double
    /// The integrals accumulated before the last statistics reset, summed over resets
    /// (worker·ns, worker·ns, job·ns).
    var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { get }
    /// Time-averaged number of jobs waiting since `statisticsStart`.
    func meanQueueLength(at time: SimTime) -> Double
    /// Clears the integrals and counters at `time`; the current state stays.
    func resetStatistics(at time: SimTime)
    /// Changes the number of workers now; jobs in service are never interrupted (a smaller
    /// station drains).
    func setWorkers(_ count: Int, engine: Engine)
}

extension FIFOStation: ServiceStation {}
extension BatchStation: ServiceStation {}
