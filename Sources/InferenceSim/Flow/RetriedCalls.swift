// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

/// The entry call of a single, pipeline or cascade deployment (source → first stage), as
/// `CallRetries` times it out and retries it. An attempt is the request slot it runs in: a
/// retry is a new attempt in a new slot that carries the request (arrival time, workload,
/// payload, source member, answers), and the abandoned attempt runs on, its answer discarded.
/// Giving up drops the request.
enum EntryCall: RetriedCall {
    static var timeoutKind: RequestFlow.Kind { .entryTimeout }
    static var retryKind: RequestFlow.Kind { .entryRetry }

    static func slot(of attempt: Int64, flow: RequestFlow) -> Int { Int(attempt) }

    static func call(of attempt: Int64, flow: RequestFlow) -> Int { Int(flow.requests[Int(attempt)].workload) }

    static func number(of attempt: Int64, flow: RequestFlow) -> Int { Int(flow.requests[Int(attempt)].attempt) }

    static func isAwaited(_ attempt: Int64, flow: RequestFlow) -> Bool {
        !flow.requests[Int(attempt)].flags.contains(.finished)
    }

    static func abandon(_ attempt: Int64, flow: RequestFlow) -> Int32 {
        let slot = Int(attempt)
        flow.requests[slot].flags.formUnion(.abandoned)
        let connection = flow.requests[slot].connection
        flow.requests[slot].connection = -1
        return connection
    }

    /// The retry event names the slot given up on; the new slot is taken when it is sent.
    static func nextAttempt(after attempt: Int64, flow: RequestFlow) -> Int64 { attempt }

    static func giveUp(_ attempt: Int64, flow: RequestFlow, engine: Engine) {
        flow.recordDrop(slot: Int(attempt), engine: engine)
    }

    static func isWanted(_ attempt: Int64, flow: RequestFlow) -> Bool { true }

    /// A new slot for the new attempt; the time since arrival is `retries` in its latency
    /// breakdown. Its timer starts before the call is sent, as at arrival.
    static func resend(_ attempt: Int64, policy: CallPolicy, retries: CallRetries<Self>, flow: RequestFlow,
                       engine: Engine) {
        let old = Int(attempt)
        let slot = flow.requests.allocate(arrivingAt: flow.requests[old].arrivalTime)
        let workload = Int(flow.requests[old].workload)
        flow.requests[slot].workload = flow.requests[old].workload
        flow.requests[slot].workFactor = flow.requests[old].workFactor
        flow.requests[slot].payload = flow.requests[old].payload
        flow.requests[slot].attempt = flow.requests[old].attempt + 1
        flow.requests[slot].retries = engine.now - flow.requests[old].arrivalTime
        flow.carryRequest(from: old, to: slot)
        retries.startTimer(Int64(slot), policy, flow: flow, engine: engine)
        flow.callEntry(slot: slot, workload: workload, engine: engine)
    }
}

/// A fan-out branch call (dispatch node → branch), as `CallRetries` times it out and retries
/// it. An attempt is the branch job's `JobID` with its attempt number
/// (`JobID.retried(attempt:)`); the branch's `FanOutBranchTime.attempt` names the one the join
/// waits for, so answers of attempts given up on are discarded. Giving up fails the request.
enum BranchCall: RetriedCall {
    static var timeoutKind: RequestFlow.Kind { .callTimeout }
    static var retryKind: RequestFlow.Kind { .retry }

    static func slot(of attempt: Int64, flow: RequestFlow) -> Int {
        flow.layout.slot(of: JobID(rawValue: attempt).firstAttempt)
    }

    static func call(of attempt: Int64, flow: RequestFlow) -> Int {
        flow.layout.branch(of: JobID(rawValue: attempt).firstAttempt)
    }

    static func number(of attempt: Int64, flow: RequestFlow) -> Int { Int(JobID(rawValue: attempt).attempt) }

    static func isAwaited(_ attempt: Int64, flow: RequestFlow) -> Bool {
        let id = JobID(rawValue: attempt), job = id.firstAttempt
        return flow.requests[slot(of: attempt, flow: flow)].flags.isDisjoint(with: .settled)
            && !flow.fanOut.branchTimes[job.index].answered && flow.fanOut.branchTimes[job.index].attempt == id.attempt
    }

    static func abandon(_ attempt: Int64, flow: RequestFlow) -> Int32 {
        let index = JobID(rawValue: attempt).firstAttempt.index
        let connection = flow.fanOut.branchTimes[index].connection
        flow.fanOut.branchTimes[index].connection = -1
        return connection
    }

    /// The next attempt becomes the one the join waits for.
    static func nextAttempt(after attempt: Int64, flow: RequestFlow) -> Int64 {
        let id = JobID(rawValue: attempt), job = id.firstAttempt
        flow.fanOut.branchTimes[job.index].attempt = id.attempt + 1
        return job.retried(attempt: id.attempt + 1).rawValue
    }

    static func giveUp(_ attempt: Int64, flow: RequestFlow, engine: Engine) {
        let slot = slot(of: attempt, flow: flow)
        flow.requests[slot].flags.formUnion(.failed)
        flow.fail(slot: slot, engine: engine)
    }

    static func isWanted(_ attempt: Int64, flow: RequestFlow) -> Bool {
        flow.requests[slot(of: attempt, flow: flow)].flags.isDisjoint(with: .settled)
    }

    /// Breakdown: from dispatch (held in `fusionWait` until the join) to now is retry time; the
    /// new attempt's own parts start from zero. Its timer starts after the call is sent.
    static func resend(_ attempt: Int64, policy: CallPolicy, retries: CallRetries<Self>, flow: RequestFlow,
                       engine: Engine) {
        let id = JobID(rawValue: attempt), job = id.firstAttempt
        let slot = slot(of: attempt, flow: flow)
        flow.fanOut.branchTimes[job.index].retries = engine.now - flow.requests[slot].fusionWait
        flow.fanOut.branchTimes[job.index].queueing = 0
        flow.fanOut.branchTimes[job.index].service = 0
        flow.fanOut.branchTimes[job.index].serialization = 0
        flow.fanOut.branchTimes[job.index].broker = 0
        flow.requests[slot].outstanding += 1
        flow.fanOut.callBranch(id, flow: flow, engine: engine)
        retries.startTimer(attempt, policy, flow: flow, engine: engine)
    }
}
