// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// A fan-out's front work (`dispatchWork`, `fusion.work`): jobs at the dispatch and the fusion
/// node's stations, which queue there with every other job, occupy a worker (or a share of
/// the cores) and load the node's host.
///
/// In the latency breakdown the dispatch work's wait and service are `queueing` and
/// `service`, booked on every branch (so the critical branch, which the breakdown follows,
/// carries them); the fusion work's wait and service lie between the critical answer and the
/// answer's departure, i.e. in `fusionWait`.
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

    /// Work `job` starts after waiting `waited`: its drawn duration, booked (with the station's
    /// worker wake-up `setup`).
    @inline(never)
    func frontWorkDuration(of job: JobID, waited: SimTime, setup: SimTime, flow: RequestFlow) -> SimTime {
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
        case .receipt:
            preconditionFailure("a pipeline's receipt is `OverlappedReceipts`'s")
        }
    }

    /// Work `job` was slowed by `slowdown` sharing cores: service time too (booked like its work).
    @inline(never)
    func frontWorkSlowed(_ job: JobID, by slowdown: SimTime, flow: RequestFlow) {
        guard job.frontWorkKind == .dispatch else { return }  // the fusion's is in `fusionWait`
        for branch in 0..<flow.tables.stages.count {
            branchTimes[flow.layout.job(slot: job.frontWorkSlot, branch: branch).index].service += slowdown
        }
    }

    /// Work `job` is done: the request goes back to the dispatch, whose calls go out now (the
    /// branch times it starts afresh get the dispatch work's parts back), or the answer goes
    /// back (fusion). Both continue through `RequestFlow.deliver`, as their events would.
    @inline(never)
    func frontWorkDone(_ job: JobID, flow: RequestFlow, engine: Engine) {
        let slot = job.frontWorkSlot
        switch job.frontWorkKind {
        case .dispatch:
            let first = branchTimes[flow.layout.job(slot: slot, branch: 0).index]
            flow.deliver(.atDispatch, id: Int64(slot), engine: engine)
            for branch in 0..<flow.tables.stages.count {
                let index = flow.layout.job(slot: slot, branch: branch).index
                branchTimes[index].queueing += first.queueing
                branchTimes[index].service += first.service
            }
        case .fusion:
            flow.deliver(.joinDone, id: Int64(slot), engine: engine)
        case .receipt:
            preconditionFailure("a pipeline's receipt is `OverlappedReceipts`'s")
        }
    }
}
