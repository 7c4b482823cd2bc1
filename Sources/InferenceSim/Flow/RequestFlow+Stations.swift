// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The request core as the delegate of the model stations (FIFO, batching, processor
/// sharing and shared hosts): a job's
/// service time and its parts of the breakdown, and where a job goes when its service ends.
extension RequestFlow {
    /// At a FIFO node the worker's wake-up (`setupOfStartingJob`, added by the station) is
    /// booked as service too.
    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        serviceDuration(of: job, waited: waited, setup: station.setupOfStartingJob)
    }

    /// At a processor-sharing node the duration is the job's work (its time alone on a core).
    func serviceDuration(of job: Int64, waited: SimTime, at station: ProcessorSharingStation) -> SimTime {
        serviceDuration(of: job, waited: waited, setup: 0)
    }

    /// At a node on a shared host the duration is the job's work (its time alone on a core).
    func serviceDuration(of job: Int64, waited: SimTime, at station: HostedStation) -> SimTime {
        serviceDuration(of: job, waited: waited, setup: 0)
    }

    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: ProcessorSharingStation, engine: Engine) {
        leaveSharedCores(job, slowdown: slowdown, engine: engine)
    }

    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: HostedStation, engine: Engine) {
        leaveSharedCores(job, slowdown: slowdown, engine: engine)
    }

    /// A job leaves cores it shared (a processor-sharing node, a shared host): the slowdown from
    /// sharing them is service time too (breakdown `service`), booked like the work (not for
    /// duplicates, nor for attempts the caller gave up on).
    private func leaveSharedCores(_ job: Int64, slowdown: SimTime, engine: Engine) {
        let id = JobID(rawValue: job), plain = id.firstAttempt
        if id.isFrontWork {
            // A receipt's slowdown is in its end time, which `OverlappedReceipts` books from.
            if id.frontWorkKind != .receipt { fanOut.frontWorkSlowed(id, by: slowdown, flow: self) }
        } else if shape == .fanOut {
            if !id.isDuplicate, !branchRetries.isOn || fanOut.branchTimes[plain.index].attempt == id.attempt {
                fanOut.branchTimes[plain.index].service += slowdown
            }
        } else if id.isFirstAttempt {
            requests[layout.slot(of: id)].service += slowdown
        }
        leaveStation(job, engine: engine)
    }

    /// A job starts service after waiting `waited`: its drawn service time, booked to its
    /// request's (or branch's) breakdown with the station's `setup` before it (the station
    /// adds the setup to the time the job occupies the worker; the duration returned is the
    /// drawn one).
    @inline(__always)
    private func serviceDuration(of job: Int64, waited: SimTime, setup: SimTime) -> SimTime {
        let id = JobID(rawValue: job)
        if !id.isFirstAttempt { return serviceDuration(ofOther: id, waited: waited, setup: setup) }
        let slot = layout.slot(of: id)
        requests[slot].waited += waited
        let stage = stageIndex(job: id, slot: slot)
        let duration = scaledServiceTime(stage: stage, slot: slot)
        if shape == .fanOut {
            if !branchRetries.isOn || fanOut.branchTimes[id.index].attempt == 0 {
                fanOut.branchTimes[id.index].queueing += waited
                fanOut.branchTimes[id.index].service += duration &+ setup
            }
        } else {
            requests[slot].service += duration &+ setup
        }
        return duration
    }

    /// The service time of a job that is not a first attempt: a duplicate delivery (served like
    /// any job, its answer discarded), a front work job, or a retried attempt.
    @inline(never)  // off the hot path, kept out of it
    private func serviceDuration(ofOther id: JobID, waited: SimTime, setup: SimTime) -> SimTime {
        if id.isDuplicate { return tables.stages[id.duplicateStage].withObject { $0.drawServiceTime() } }
        if id.isFrontWork {
            if id.frontWorkKind == .receipt { return receipts.receiptDuration(slot: id.frontWorkSlot, waited: waited) }
            return fanOut.frontWorkDuration(of: id, waited: waited, setup: setup, flow: self)
        }
        return fanOut.retriedServiceDuration(of: id, waited: waited, setup: setup, flow: self)
    }

    /// A service time of stage `stage` for request `slot`, times its work factor (video frames).
    @inline(__always)
    func scaledServiceTime(stage: Int, slot: Int) -> SimTime {
        let base = tables.stages[stage].withObject { $0.drawServiceTime(slot: slot, flow: self) }
        let factor = requests[slot].workFactor
        return factor == 1 ? base : SimTime((Double(base) * factor).rounded())
    }

    /// The stage a job is at: its branch in a fan-out, else its request's current stage.
    @inline(__always)
    func stageIndex(job: JobID, slot: Int) -> Int {
        shape == .fanOut ? layout.branch(of: job) : Int(requests[slot].stage)
    }

    /// A batch starts at a batching node: each member's wait is counted, and the batch lasts
    /// t₁ · (1 + α(b − 1)) times the largest work factor among its members (video frames).
    /// Each member's latency breakdown gets its wait as queueing and the batch as service.
    func batchDuration(of jobs: UnsafeBufferPointer<Int64>, waited: UnsafeBufferPointer<SimTime>, jobClass: Int,
                       at station: BatchStation) -> SimTime {
        var factor = 1.0
        var stage = -1
        for index in 0..<jobs.count {
            let job = JobID(rawValue: jobs[index])
            if job.isDuplicate {  // a duplicate delivery: served like any job, its answer discarded
                if stage < 0 { stage = job.duplicateStage }
                continue
            }
            let plain = job.firstAttempt
            let slot = layout.slot(of: plain)
            requests[slot].waited += waited[index]
            factor = max(factor, requests[slot].workFactor)
            if stage < 0 { stage = stageIndex(job: plain, slot: slot) }
        }
        let base = tables.stages[stage].withObject { $0.drawServiceTime(batchOf: jobs.count) }
        let duration = factor == 1 ? base : SimTime((Double(base) * factor).rounded())
        for index in 0..<jobs.count where jobs[index] >= 0 {
            let job = JobID(rawValue: jobs[index]), plain = job.firstAttempt
            if shape == .fanOut {
                if !branchRetries.isOn || fanOut.branchTimes[plain.index].attempt == job.attempt {
                    fanOut.branchTimes[plain.index].queueing += waited[index]
                    fanOut.branchTimes[plain.index].service += duration
                }
            } else {
                requests[layout.slot(of: plain)].service += duration
            }
        }
        return duration
    }

    func serviceCompleted(_ job: Int64, at station: BatchStation, engine: Engine) {
        leaveStation(job, engine: engine)
    }

    /// A node with no memory left turned `job` away: its request is dropped (a fan-out
    /// request fails as a whole, unless it has joined or failed already).
    func jobRejected(_ job: Int64, at station: BatchStation, engine: Engine) {
        let id = JobID(rawValue: job)
        if id.isDuplicate { return }  // a duplicate delivery turned away: no request waits for it
        let slot = layout.slot(of: id.firstAttempt)
        if shape == .fanOut, !requests[slot].flags.isDisjoint(with: .settled) {
            release(slot)
            return
        }
        requests[slot].flags.formUnion(.failed)
        fail(slot: slot, engine: engine)
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        leaveStation(job, engine: engine)
    }

    /// `job` is done at its station: it goes on to its next stage, its join, or its source. A
    /// retried attempt answers like the first; a duplicate delivery is dropped; a front work
    /// job lets its fan-out go on (`FanOutJoin.frontWorkDone`).
    @inline(__always)
    private func leaveStation(_ job: Int64, engine: Engine) {
        if !JobID(rawValue: job).isFirstAttempt {
            leaveStation(other: JobID(rawValue: job), engine: engine)
            return
        }
        switch shape {
        case .chain:
            let slot = Int(job)  // a chain's or cascade's job id is its slot (`JobID`)
            let next = Int(requests[slot].stage) + 1
            if next < tables.stages.count {
                requests[slot].stage = Int32(next)
                send(tables.forward[next], payload: tables.output[next - 1], kind: .atStation, id: job, engine: engine)
            } else {
                send(tables.response[Int(requests[slot].workload) * tables.responseStride],
                     payload: tables.output[next - 1], kind: .response, id: job, engine: engine)
            }
        case .fanOut:
            fanOut.sendAnswer(JobID(rawValue: job), flow: self, engine: engine)
        case .cascade:
            let slot = Int(job)  // a chain's or cascade's job id is its slot (`JobID`)
            let stage = Int(requests[slot].stage)
            let answer = answers.of(slot)[stage]
            if stage + 1 < tables.stages.count, CascadeRule.escalates(answer, threshold: cascadeThresholds[stage]) {
                requests[slot].stage = Int32(stage + 1)
                send(tables.forward[stage + 1], payload: requests[slot].payload, kind: .atStation, id: job,
                     engine: engine)
            } else {
                setCorrect(answer.isCorrect, slot: slot)
                send(tables.response[Int(requests[slot].workload) * tables.responseStride + stage],
                     payload: tables.output[stage], kind: .response, id: job, engine: engine)
            }
        }
    }

    /// A job that is not a first attempt is done: a retried attempt answers like the first, a
    /// front work job lets its fan-out go on, a duplicate delivery is dropped.
    @inline(never)  // off the hot path, kept out of it
    private func leaveStation(other id: JobID, engine: Engine) {
        if id.isFrontWork {
            if id.frontWorkKind == .receipt {
                receipts.receiptDone(slot: id.frontWorkSlot, flow: self, engine: engine)
            } else {
                fanOut.frontWorkDone(id, flow: self, engine: engine)
            }
        } else if !id.isDuplicate {
            fanOut.sendAnswer(id, flow: self, engine: engine)
        }
    }
}
