// SPDX-License-Identifier: GPL-3.0-or-later

/// What the resources under a `BatchStation` allow and cost: which arrivals it takes, how
/// many jobs a batch may take now, a wait before a batch's service and the speed of that
/// service. SimCore does not know what they model (a device's memory, loaded models, heat:
/// InferenceSim's node models); a station without one is limited by its workers alone.
///
/// The station calls it in this order: `admitsArrival` once per arrival; `startableJobs`
/// while choosing a batch (possibly for several classes, and for a class again later);
/// `batchStarts` then `serviceTime` once per batch that starts; `batchEnded` once per batch
/// that leaves its worker. Every `batchStarts` is matched by exactly one `batchEnded`.
public protocol BatchAdmission: AnyObject {
    /// A job of `jobClass` arrives now: whether the station takes it. false: it is rejected
    /// (counted in the station's `rejected`, the delegate's `jobRejected`) and gone.
    func admitsArrival(ofClass jobClass: Int) -> Bool
    /// The most jobs a batch of `jobClass` may take if it started now (≥ 0). 0: the class is
    /// passed over (another ready class may start) until the next batch event.
    func startableJobs(ofClass jobClass: Int, at now: SimTime) -> Int
    /// A batch of `size` jobs of `jobClass` starts now: `size` = min(`wanted`, what
    /// `startableJobs` allowed), `wanted` the jobs the batching rule would take. Returns how
    /// long its worker waits before serving it (ns ≥ 0; e.g. a model load).
    func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int, at now: SimTime) -> SimTime
    /// The service of the batch that just started lasts `service` ns at full speed (the
    /// delegate's `batchDuration`); returns how long it lasts here (ns ≥ 0). Fixed at the start.
    func serviceTime(_ service: SimTime, at now: SimTime) -> SimTime
    /// A batch of `size` jobs of `jobClass` left its worker now: `completed`, or abandoned by a
    /// preemption (its jobs wait again in their queue and were not re-admitted).
    func batchEnded(ofClass jobClass: Int, size: Int, completed: Bool, at now: SimTime)
    /// Clears its counters (the station's statistics restarted at `time`); its state stays.
    func resetStatistics(at time: SimTime)
}
