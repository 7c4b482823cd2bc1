// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// A fan-out's front work (`dispatchWork`, `sendWork`, `fusion.readWork`, `fusion.work`): jobs
/// at the dispatch and the fusion node's stations, which queue there with every other job,
/// occupy a worker (or a share of the cores) and load the node's host.
///
/// Order: the dispatch job; then, with send work, one write per branch in branch order, each
/// queued when the one before is done, the branch's call leaving when its own write is done;
/// with read work, each answer's read queued when the answer arrives, the answer counting for
/// the join when its read is done; then the fusion job.
///
/// In the latency breakdown the dispatch work's wait and service are `queueing` and
/// `service`, booked on every branch (so the critical branch, which the breakdown follows,
/// carries them); a write's wait and service are `queueing` and `service` of its branch, and
/// `queueing` of every later branch (whose call waits for it); the reads' and the fusion
/// work's wait and service lie between the critical answer's arrival and the answer's
/// departure, i.e. in `fusionWait`.
extension FanOutJoin {
    /// Request `slot` reached the dispatch node of a fan-out with dispatch work (event
    /// `atDispatchWork`): its branch times start, and its work arrives at the node's station
    /// (the calls go out when it is done).
    @inline(never)  // here and below: off the hot path, kept out of its callers
    func startDispatchWork(slot: Int, flow: RequestFlow, engine: Engine) {
        guard let work = joinRule?.dispatchWork else { preconditionFailure("dispatch work without a dispatch work stage") }
        let branches = flow.tables.stages.count
        branchTimes.reserve(upTo: flow.layout.job(slot: slot, branch: branches - 1).index)
        for branch in 0..<branches {
            branchTimes[flow.layout.job(slot: slot, branch: branch).index] = .init()
        }
        work.arrive(JobID.frontWork(.dispatch, slot: slot).rawValue, engine: engine)
    }

    /// Request `slot` has joined: its fusion work arrives at the node's station (the answer
    /// goes back when it is done).
    @inline(never)
    func startFusionWork(slot: Int, engine: Engine) {
        guard let work = joinRule?.fusionWork else { preconditionFailure("fusion work without a fusion work stage") }
        work.arrive(JobID.frontWork(.fusion, slot: slot).rawValue, engine: engine)
    }

    /// Request `slot` reached the dispatch node of a fan-out with send work (after any dispatch
    /// work; event `atDispatchSends`): as `dispatch`, but its branch times start and only the
    /// write of branch 0's call arrives at the dispatch node's station (`sendDone` goes on).
    @inline(never)
    func dispatchSendingOneByOne(slot: Int, flow: RequestFlow, engine: Engine) {
        guard let rule = joinRule, let work = rule.sendWork else { preconditionFailure("send work without a send work stage") }
        _ = openDispatch(slot: slot, rule: rule, flow: flow, engine: engine)
        for branch in 0..<flow.tables.stages.count {
            branchTimes[flow.layout.job(slot: slot, branch: branch).index] = .init()
        }
        work.arrive(JobID.frontWork(.send, branchJob: flow.layout.job(slot: slot, branch: 0)).rawValue, engine: engine)
    }

    /// The answer of branch job `job` is for the join at a fusion node with read work: its read
    /// arrives at the node's station (`answerRead` goes on).
    @inline(never)
    func startReadWork(_ job: JobID, engine: Engine) {
        guard let work = joinRule?.readWork else { preconditionFailure("read work without a read work stage") }
        work.arrive(JobID.frontWork(.read, branchJob: job).rawValue, engine: engine)
    }

    /// Work `job` starts after waiting `waited`: its drawn duration, booked (with the station's
    /// worker wake-up `setup`).
    @inline(never)
    func frontWorkDuration(of job: JobID, waited: SimTime, setup: SimTime, flow: RequestFlow) -> SimTime {
        switch job.frontWorkKind {
        case .send, .read: return branchWorkDuration(of: job, waited: waited, setup: setup, flow: flow)
        case .dispatch, .fusion, .receipt: break
        }
        let slot = job.frontWorkSlot
        flow.requests[slot].waited += waited
        switch job.frontWorkKind {
        case .dispatch:
            guard let dispatchWork = joinRule?.dispatchWork else { preconditionFailure("a dispatch job without dispatch work") }
            let duration = dispatchWork.drawServiceTime()
            for branch in 0..<flow.tables.stages.count {
                let index = flow.layout.job(slot: slot, branch: branch).index
                branchTimes[index].queueing += waited
                branchTimes[index].service += duration &+ setup
            }
            return duration
        case .fusion:
            guard let fusionWork = joinRule?.fusionWork else { preconditionFailure("a fusion job without fusion work") }
            return fusionWork.drawServiceTime()
        case .send, .read:
            preconditionFailure("a branch's front work is drawn by branchWorkDuration")
        case .receipt:
            preconditionFailure("a pipeline's receipt is `OverlappedReceipts`'s")
        }
    }

    /// A write (send) or a read job of one branch starts after waiting `waited`: its drawn
    /// duration; a write's wait and service (with `setup`) are booked on its branch, and as
    /// `queueing` on every later branch, whose call leaves after it (a read's are in
    /// `fusionWait`).
    private func branchWorkDuration(of job: JobID, waited: SimTime, setup: SimTime, flow: RequestFlow) -> SimTime {
        let branchJob = job.frontWorkBranchJob
        flow.requests[flow.layout.slot(of: branchJob)].waited += waited
        guard job.frontWorkKind == .send else {
            guard let readWork = joinRule?.readWork else { preconditionFailure("a read job without read work") }
            return readWork.drawServiceTime()
        }
        guard let sendWork = joinRule?.sendWork else { preconditionFailure("a send job without send work") }
        let duration = sendWork.drawServiceTime()
        branchTimes[branchJob.index].queueing += waited
        branchTimes[branchJob.index].service += duration &+ setup
        bookOnLaterBranches(after: branchJob, waited &+ duration &+ setup, flow: flow)
        return duration
    }

    /// `time` as `queueing` of every branch after `branchJob`'s in the same request.
    private func bookOnLaterBranches(after branchJob: JobID, _ time: SimTime, flow: RequestFlow) {
        let slot = flow.layout.slot(of: branchJob)
        for branch in (flow.layout.branch(of: branchJob) + 1)..<flow.tables.stages.count {
            branchTimes[flow.layout.job(slot: slot, branch: branch).index].queueing += time
        }
    }

    /// Work `job` was slowed by `slowdown` sharing cores: service time too (booked like its work:
    /// the dispatch's on every branch, a write's on its branch and as the later branches'
    /// queueing; the reads' and the fusion's are in `fusionWait`).
    @inline(never)
    func frontWorkSlowed(_ job: JobID, by slowdown: SimTime, flow: RequestFlow) {
        switch job.frontWorkKind {
        case .dispatch:
            for branch in 0..<flow.tables.stages.count {
                branchTimes[flow.layout.job(slot: job.frontWorkSlot, branch: branch).index].service += slowdown
            }
        case .send:
            let branchJob = job.frontWorkBranchJob
            branchTimes[branchJob.index].service += slowdown
            bookOnLaterBranches(after: branchJob, slowdown, flow: flow)
        case .fusion, .read:
            break
        case .receipt:
            preconditionFailure("a pipeline's receipt is `OverlappedReceipts`'s")
        }
    }

    /// Work `job` is done: the request goes back to the dispatch, whose calls go out now (the
    /// branch times it starts afresh get the dispatch work's parts back), or the answer goes
    /// back (fusion); both continue through `RequestFlow.deliver`, as their events would. A
    /// write: its branch's call goes out, then the next branch's write is queued. A read: the
    /// answer counts for the join, unless the request has joined (or failed) meanwhile.
    @inline(never)
    func frontWorkDone(_ job: JobID, flow: RequestFlow, engine: Engine) {
        switch job.frontWorkKind {
        case .send: return sendDone(job.frontWorkBranchJob, flow: flow, engine: engine)
        case .read: return answerRead(job.frontWorkBranchJob, flow: flow, engine: engine)
        case .dispatch, .fusion, .receipt: break
        }
        let slot = job.frontWorkSlot
        switch job.frontWorkKind {
        case .dispatch:
            let first = branchTimes[flow.layout.job(slot: slot, branch: 0).index]
            flow.deliver(dispatchKind, id: Int64(slot), engine: engine)
            for branch in 0..<flow.tables.stages.count {
                let index = flow.layout.job(slot: slot, branch: branch).index
                branchTimes[index].queueing += first.queueing
                branchTimes[index].service += first.service
            }
        case .fusion:
            flow.deliver(.joinDone, id: Int64(slot), engine: engine)
        case .send, .read:
            preconditionFailure("a branch's front work goes on in sendDone or answerRead")
        case .receipt:
            preconditionFailure("a pipeline's receipt is `OverlappedReceipts`'s")
        }
    }

    /// The write of branch job `branchJob`'s call is done: the call goes out (its timer starts
    /// now; a retried attempt is sent again without a write), then the next branch's write is
    /// queued. When the request has joined (a deadline) or failed meanwhile, neither this call
    /// nor the later ones go out: their holds on the slot end.
    private func sendDone(_ branchJob: JobID, flow: RequestFlow, engine: Engine) {
        let slot = flow.layout.slot(of: branchJob), branch = flow.layout.branch(of: branchJob)
        if !flow.requests[slot].flags.isDisjoint(with: .settled) {
            for _ in branch..<flow.tables.stages.count { flow.release(slot) }
            return
        }
        flow.branchRetries.startTimer(call: branch, attempt: branchJob.rawValue, flow: flow, engine: engine)
        callBranch(branchJob, flow: flow, engine: engine)
        if branch + 1 < flow.tables.stages.count, let work = joinRule?.sendWork {
            let next = flow.layout.job(slot: slot, branch: branch + 1)
            work.arrive(JobID.frontWork(.send, branchJob: next).rawValue, engine: engine)
        }
    }

    /// The read of branch job `branchJob`'s answer is done: the answer counts for the join
    /// (`answerIn`), or, when the request has joined or failed meanwhile, it is a late answer.
    /// The read's hold on the slot ends.
    private func answerRead(_ branchJob: JobID, flow: RequestFlow, engine: Engine) {
        let slot = flow.layout.slot(of: branchJob)
        defer { flow.release(slot) }
        if isLate(slot: slot, flow: flow) { return }
        answerIn(branchJob, slot: slot, flow: flow, engine: engine)
    }
}
