// SPDX-License-Identifier: GPL-3.0-or-later

/// The virtual clock of jobs that share cores equally: the one bookkeeping of a
/// `ProcessorSharingStation` and of a `SharedHost`.
///
/// All jobs in service progress at the same rate r (the owner's: min(1, cores / n) or its
/// variants), so one virtual clock V — the service each job has received, in virtual ns —
/// advances at r, and a job admitted at V₀ with work w is done when V reaches its finish tag
/// F = V₀ + w. The job with the smallest tag finishes first, at now + (F − V) / r rounded up
/// to a whole nanosecond. Every admission or departure changes r, so the owner reschedules the
/// one pending completion; the event list cannot cancel, so a superseded completion is
/// recognised by its generation number and ignored. Equal tags finish in admission order.
///
/// Invariants: V is 0 whenever no job is in service; at most one completion is live.
struct SharedCoreClock {
    private var jobs = FinishTagHeap()
    /// Attained service per job in service, virtual ns.
    private var virtualTime: Double = 0
    private var lastAdvance: SimTime = 0
    private var admissions: UInt64 = 0
    /// The generation of the one live completion event, and its time (nil: none pending).
    private var generation: Int64 = 0
    private var pendingCompletion: SimTime?

    /// Jobs in service.
    var count: Int { jobs.count }

    /// Brings the virtual clock to `now` at `rate`, the rate that held since the last change.
    mutating func advance(to now: SimTime, rate: Double) {
        virtualTime += Double(now &- lastAdvance) * rate
        lastAdvance = now
    }

    /// A job of `work` ns starts service now (the clock was advanced to now); `member` is its
    /// station's index on a shared host (0 otherwise).
    mutating func admit(_ job: Int64, work: SimTime, now: SimTime, member: Int32 = 0) {
        jobs.push(.init(finish: virtualTime + Double(work), order: admissions, job: job, admittedAt: now, work: work,
                        member: member))
        admissions &+= 1
    }

    /// Whether a completion event with this payload is the live one (not superseded).
    func isLive(_ payload: Int64) -> Bool { payload == generation && pendingCompletion != nil }

    /// The live completion happened (the clock was advanced to now): the job with the smallest
    /// finish tag leaves service and is returned.
    mutating func finishFirst() -> FinishTagHeap.Entry {
        pendingCompletion = nil
        let done = jobs.popMin()
        virtualTime = Swift.max(virtualTime, done.finish)
        if jobs.isEmpty { virtualTime = 0 }
        return done
    }

    /// The completion the owner must schedule now that jobs progress at `rate`: its time and
    /// payload, or nil when there is none to schedule (no job in service, or the live one is
    /// already at that time; with no job the pending one is dropped).
    mutating func nextCompletion(rate: Double, now: SimTime) -> (time: SimTime, payload: Int64)? {
        guard let first = jobs.min, rate > 0 else {
            pendingCompletion = nil
            return nil
        }
        let delay = Swift.max(0, ((first.finish - virtualTime) / rate).rounded(.up))
        let time = now &+ SimTime(delay)
        if pendingCompletion == time { return nil }
        generation &+= 1
        pendingCompletion = time
        return (time, generation)
    }
}
