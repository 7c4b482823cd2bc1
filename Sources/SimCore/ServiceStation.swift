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
    /// Jobs held up by lack of capacity, as the stability watch counts them: `waiting` for
    /// a FIFO or batching station; at a processor-sharing station also the jobs in service
    /// beyond its cores.
    var backlog: Int { get }
    /// When the statistics were last reset.
    var statisticsStart: SimTime { get }
    /// Jobs that arrived since `statisticsStart`.
    var arrivals: Int { get }
    /// Jobs that completed service since `statisticsStart`.
    var completions: Int { get }
    /// ∫ busy workers dt since `statisticsStart`, worker·ns.
    func busyWorkerTime(at time: SimTime) -> Double
    /// ∫ workers dt since `statisticsStart`, worker·ns.
    func availableWorkerTime(at time: SimTime) -> Double
    /// ∫ waiting dt since `statisticsStart`, job·ns.
    func waitingTime(at time: SimTime) -> Double
    /// The integrals accumulated before the last statistics reset, summed over resets
    /// (worker·ns, worker·ns, job·ns).
    var integralsBeforeReset: (busy: Double, available: Double, waiting: Double) { get }
    /// Clears the integrals and counters at `time`; the current state stays.
    func resetStatistics(at time: SimTime)
    /// Changes the number of workers now; jobs in service are never interrupted (a smaller
    /// station drains).
    func setWorkers(_ count: Int, engine: Engine)
}

extension ServiceStation {
    public var backlog: Int { waiting }

    /// Busy worker-time over available worker-time since `statisticsStart`, normally in 0...1
    /// (a draining station can briefly exceed its capacity; the ratio is not clamped).
    public func utilization(at time: SimTime) -> Double {
        let available = availableWorkerTime(at: time)
        return available > 0 ? busyWorkerTime(at: time) / available : 0
    }

    /// Time-averaged number of jobs waiting (not in service) since `statisticsStart`.
    public func meanQueueLength(at time: SimTime) -> Double {
        let span = Double(time - statisticsStart)
        guard span > 0 else { return 0 }
        return waitingTime(at: time) / span
    }
}

extension FIFOStation: ServiceStation {}
extension BatchStation: ServiceStation {}
