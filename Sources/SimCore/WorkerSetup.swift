// SPDX-License-Identifier: GPL-3.0-or-later

/// A setup time of a `FIFOStation`'s workers: a worker that has been idle for `idle`
/// nanoseconds spends `setupTime(afterIdle:)` nanoseconds (≥ 0) getting ready before the job
/// it takes, busy all along (the M/G/1 queue with setup times). A job that waited in the queue
/// finds its worker busy and needs no setup.
public protocol WorkerSetup: AnyObject {
    func setupTime(afterIdle idle: SimTime) -> SimTime
}

/// When each idle worker of a station went idle, most recent last. The worker that takes an
/// arriving job is the one idle the shortest (the last), so a pool of threads keeps its
/// busiest thread hot; a worker removed by resizing is one idle the longest (the first).
struct IdleWorkers {
    private var since: [SimTime] = []

    init(count: Int, at time: SimTime) { since = Array(repeating: time, count: count) }

    var count: Int { since.count }

    /// A worker went idle at `time`.
    mutating func push(_ time: SimTime) { since.append(time) }

    /// The worker idle the shortest takes a job now: how long it had been idle.
    mutating func take(at now: SimTime) -> SimTime { now &- (since.popLast() ?? now) }

    /// Keeps `count` idle workers: new ones idle from `time`, removed ones those idle the longest.
    mutating func resize(to count: Int, at time: SimTime) {
        if count > since.count {
            since.append(contentsOf: repeatElement(time, count: count - since.count))
        } else if count < since.count {
            since.removeFirst(since.count - count)
        }
    }
}
