// SPDX-License-Identifier: GPL-3.0-or-later

/// What the resources under a `BatchStation` allow and cost: which arrivals it takes, how
/// many jobs a batch may take now, a wait before a batch's service and the speed of that
/// service. SimCore does not know what they model (a device's memory, loaded models, heat:
/// InferenceSim's node models); a station without one is limited by its workers alone.
///
/// The station calls it in this order: `admitsArrival` once per arrival; `startableJobs`
/// while choosing a batch (possibly for several classes, and for a class again later);
/// `batchStarts` once per batch that starts, after the delegate's `batchDuration`;
/// `batchEnded` once per batch that leaves its worker. Every `batchStarts` is matched by
/// exactly one `batchEnded`. The two flags, read once when the station is created, let it skip
/// the calls that could not change anything (the hot path of a station pays for what it uses).
public protocol BatchAdmission: AnyObject {
    /// Whether `admitsArrival` can ever answer false (else the station does not ask).
    var screensArrivals: Bool { get }
    /// Whether `startableJobs` can ever answer less than every job (else the station does not ask).
    var limitsBatches: Bool { get }
    /// A job of `jobClass` arrives now: whether the station takes it. false: it is rejected
    /// (counted in the station's `rejected`, the delegate's `jobRejected`) and gone.
    func admitsArrival(ofClass jobClass: Int) -> Bool
    /// The most jobs a batch of `jobClass` may take if it started now (≥ 0). 0: the class is
    /// passed over (another ready class may start) until the next arrival, completion or timer.
    func startableJobs(ofClass jobClass: Int, at now: SimTime) -> Int
    /// A batch of `size` jobs of `jobClass` starts now: `size` = min(`wanted`, what
    /// `startableJobs` allowed), `wanted` the jobs the batching rule would take, `service` its
    /// service time at full speed (the delegate's `batchDuration`, ns). Returns how long the
    /// batch holds its worker here (ns ≥ 0): a wait before its service (e.g. a model load) plus
    /// its service at the speed of now (fixed at the start).
    func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int, service: SimTime, at now: SimTime) -> SimTime
    /// A batch of `size` jobs of `jobClass` left its worker now: `completed`, or abandoned by a
    /// preemption (its jobs wait again in their queue and were not re-admitted).
    func batchEnded(ofClass jobClass: Int, size: Int, completed: Bool, at now: SimTime)
    /// Clears its counters (the station's statistics restarted at `time`); its state stays.
    func resetStatistics(at time: SimTime)
}
