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
    /// Work `job` starts after waiting `waited`: its drawn duration, booked (with the station's
    /// worker wake-up `setup`).
    func frontWorkDuration(of job: JobID, waited: SimTime, setup: SimTime, flow: RequestFlow) -> SimTime {
        let slot = job.frontWorkSlot
        flow.requests[slot].waited += waited
        switch job.frontWorkKind {
        case .dispatch:
            guard let dispatchWork else { preconditionFailure("a dispatch work job without dispatch work") }
            let duration = dispatchWork.drawServiceTime()
            for branch in 0..<flow.tables.stages.count {
                let index = flow.layout.job(slot: slot, branch: branch).index
                branchTimes[index].queueing += waited
                branchTimes[index].service += duration &+ setup
            }
            return duration
        case .fusion:
            guard let fusionWork else { preconditionFailure("a fusion work job without fusion work") }
            return fusionWork.drawServiceTime()
        }
    }

    /// Work `job` was slowed by `slowdown` sharing cores: service time too (booked like its work).
    func frontWorkSlowed(_ job: JobID, by slowdown: SimTime, flow: RequestFlow) {
        guard job.frontWorkKind == .dispatch else { return }  // the fusion's is in `fusionWait`
        for branch in 0..<flow.tables.stages.count {
            branchTimes[flow.layout.job(slot: job.frontWorkSlot, branch: branch).index].service += slowdown
        }
    }

    /// Work `job` is done: the branch calls go out (dispatch), or the answer goes back (fusion).
    func frontWorkDone(_ job: JobID, flow: RequestFlow, engine: Engine) {
        let slot = job.frontWorkSlot
        switch job.frontWorkKind {
        case .dispatch:
            callBranches(slot: slot, flow: flow, engine: engine)
        case .fusion:
            joinDone(slot: slot, flow: flow, engine: engine)
        }
    }
}
