// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// The fan-out part of the request flow (collaborative and distributed deployments): the
/// dispatch node sends one call per branch, each branch's answer travels to the join node,
/// and the join waits for every answer, or fuses at its deadline with a quorum (failing the
/// request when the quorum is missed under `fail`), then answers the source.
///
/// It owns the per-branch-job times and call state (`FanOutBranchTimes`, indexed by a first
/// attempt's `JobID`), the join rule and the join's measured counts; the request's own state
/// is in the flow's `RequestTable`. Idle (no rule) outside fan-outs.
final class FanOutJoin {
    /// How answers are joined (nil: not a fan-out).
    private var rule: FlowPlan.JoinRule?
    /// The join rule, for the front work's extension (nil outside fan-outs).
    var joinRule: FlowPlan.JoinRule? { rule }
    /// Per branch job: its parts of the latency breakdown and its call state.
    var branchTimes = FanOutBranchTimes(filler: FanOutBranchTime())
    /// Measured window: answers that reached the join node after it had joined (or, with read
    /// work, were read after it).
    private(set) var lateAnswers = 0
    /// Measured fused requests by the number of answers fused (index = answers).
    private(set) var answersFused: [Int] = []
    /// Measured fused requests whose fusion included branch b's answer (index = b).
    private(set) var includedByBranch: [Int] = []

    /// Turns the part on for a fan-out of `branches` branches joined by `rule`.
    func configure(rule: FlowPlan.JoinRule, branches: Int) {
        self.rule = rule
        answersFused = Array(repeating: 0, count: branches + 1)
        includedByBranch = Array(repeating: 0, count: branches)
    }

    /// Request `slot` reached the dispatch node (with dispatch work: its work is done,
    /// `FanOutJoin+FrontWork.swift`): one call per branch (each with its timeout when it has
    /// one; with send work each after its write, `startSendWork`), and the deadline when the
    /// join has one (counted from here: the dispatch is done, the calls start to go out).
    func dispatch(slot: Int, flow: RequestFlow, engine: Engine) {
        guard let rule else { return }
        let branches = flow.tables.stages.count
        flow.requests[slot].outstanding += Int32(branches)
        if let deadline = rule.deadline {
            flow.requests[slot].outstanding += 1
            engine.schedule(after: deadline, target: flow.controlID, kind: RequestFlow.Kind.deadline.rawValue,
                            payload: Int64(slot))
        }
        branchTimes.reserve(upTo: flow.layout.job(slot: slot, branch: branches - 1).index)
        // Until the join, `fusionWait` holds the dispatch time: the start of the wait at the
        // join when it fuses at the deadline with no answer (quorum 0).
        flow.requests[slot].fusionWait = engine.now
        if rule.sendWork != nil {
            startSendWork(slot: slot, flow: flow, engine: engine)
            return
        }
        for branch in 0..<branches {
            let job = flow.layout.job(slot: slot, branch: branch)
            branchTimes[job.index] = .init()
            flow.branchRetries.startTimer(call: branch, attempt: job.rawValue, flow: flow, engine: engine)
            callBranch(job, flow: flow, engine: engine)
        }
    }

    /// Sends attempt `attempt` of a branch call, through the branch's pool when it has one.
    func callBranch(_ attempt: JobID, flow: RequestFlow, engine: Engine) {
        let branch = flow.layout.branch(of: attempt)
        if flow.pooledCalls.isOn, let pool = flow.pooledCalls.branchPool(branch) {
            flow.pooledCalls.call(over: pool, id: attempt.rawValue, flow: flow, engine: engine)
        } else {
            let slot = flow.layout.slot(of: attempt.firstAttempt)
            flow.send(flow.tables.forward[branch], payload: flow.requests[slot].payload * flow.tables.share[branch],
                      kind: .atStation, id: attempt.rawValue, engine: engine)
        }
    }

    /// Branch attempt `attempt` is served: its answer goes to the join node.
    @inline(__always)
    func sendAnswer(_ attempt: JobID, flow: RequestFlow, engine: Engine) {
        let branch = flow.layout.branch(of: attempt)
        flow.send(flow.tables.answer[branch], payload: flow.tables.output[branch] * flow.tables.share[branch],
                  kind: .atJoin, id: attempt.rawValue, engine: engine)
    }

    /// Service time of a retried attempt (its queueing and service, with the worker's wake-up
    /// `setup`, count for the breakdown only while the caller still waits for it).
    func retriedServiceDuration(of attempt: JobID, waited: SimTime, setup: SimTime, flow: RequestFlow) -> SimTime {
        let job = attempt.firstAttempt
        let slot = flow.layout.slot(of: job)
        flow.requests[slot].waited += waited
        let duration = flow.scaledServiceTime(stage: flow.layout.branch(of: job), slot: slot)
        if branchTimes[job.index].attempt == attempt.attempt {
            branchTimes[job.index].queueing += waited
            branchTimes[job.index].service += duration &+ setup
        }
        return duration
    }

    /// A branch's answer reached the join node: counted (`answerIn`), or with read work its
    /// read is queued first (an answer that comes after the join is neither read nor counted).
    func answerArrived(_ attempt: JobID, flow: RequestFlow, engine: Engine) {
        let job = attempt.firstAttempt
        let slot = flow.layout.slot(of: job)
        let branch = flow.layout.branch(of: job)
        defer { flow.release(slot) }
        if flow.branchRetries.isOn {
            // The answer of an attempt the caller gave up on is discarded.
            if branchTimes[job.index].attempt != attempt.attempt { return }
            branchTimes[job.index].answered = true
        }
        if flow.pooledCalls.isOn, case let connection = branchTimes[job.index].connection, connection >= 0 {
            branchTimes[job.index].connection = -1
            flow.pooledCalls.release(connection, abandoned: false, flow: flow, engine: engine)
        }
        if !flow.requests[slot].flags.isDisjoint(with: .settled) {
            countLateAnswer(flow: flow)
            return
        }
        branchTimes[job.index].answeredAt = engine.now
        guard let rule else { return }
        if rule.readWork != nil {
            flow.requests[slot].outstanding += 1  // the read keeps the slot (`answerRead`)
            startReadWork(job, engine: engine)
            return
        }
        answerIn(slot: slot, branch: branch, rule: rule, flow: flow, engine: engine)
    }

    /// An answer came (or was read) after its request had joined or failed.
    @inline(__always)
    func countLateAnswer(flow: RequestFlow) {
        if flow.measuring { lateAnswers += 1 }
    }

    /// Request `slot`'s answer of branch `branch` counts for the join (it arrived, or with read
    /// work its read is done): the join happens when every answer is in, or the deadline has
    /// passed and the quorum is reached.
    @inline(__always)
    func answerIn(slot: Int, branch: Int, rule: FlowPlan.JoinRule, flow: RequestFlow, engine: Engine) {
        flow.requests[slot].answersIn += 1
        flow.requests[slot].arrivedMask |= UInt64(1) << UInt64(branch)
        flow.requests[slot].critical = Int8(branch)
        let answersIn = Int(flow.requests[slot].answersIn)
        if answersIn == flow.tables.stages.count
            || (flow.requests[slot].flags.contains(.deadlinePassed) && answersIn >= rule.quorum) {
            join(slot: slot, rule: rule, flow: flow, engine: engine)
        }
    }

    /// The join's deadline for request `slot`: it fuses what is in when the quorum is reached,
    /// else fails (under `fail`) or keeps waiting.
    func deadlinePassed(slot: Int, flow: RequestFlow, engine: Engine) {
        defer { flow.release(slot) }
        guard flow.requests[slot].flags.isDisjoint(with: .settled),
              let rule else { return }
        flow.requests[slot].flags.formUnion(.deadlinePassed)
        if Int(flow.requests[slot].answersIn) >= rule.quorum {
            join(slot: slot, rule: rule, flow: flow, engine: engine)
        } else if rule.failOnQuorumMiss {
            flow.requests[slot].flags.formUnion(.failed)
            flow.fail(slot: slot, engine: engine)
        }
    }

    @inline(__always)
    private func join(slot: Int, rule: FlowPlan.JoinRule, flow: RequestFlow, engine: Engine) {
        flow.requests[slot].flags.formUnion(.joined)
        if flow.measuring {
            answersFused[Int(flow.requests[slot].answersIn)] += 1
            let mask = flow.requests[slot].arrivedMask
            for branch in includedByBranch.indices where mask & (UInt64(1) << UInt64(branch)) != 0 {
                includedByBranch[branch] += 1
            }
        }
        if let fused = flow.answers.fuse(slot: slot, arrived: BranchMask(rawValue: flow.requests[slot].arrivedMask)) {
            flow.setCorrect(fused.correct, slot: slot)
            if fused.recalled { flow.requests[slot].flags.formUnion(.recalled) }
        }
        if let seconds = rule.drawCost() {
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: seconds), target: flow.controlID,
                            kind: RequestFlow.Kind.joinDone.rawValue, payload: Int64(slot))
        } else if rule.fusionWork == nil {
            joinDone(slot: slot, flow: flow, engine: engine)
        } else {
            startFusionWork(slot: slot, engine: engine)
        }
    }

    /// The join (and its fusion or merge time) is done: the wait at the join is booked, and the
    /// answer goes back to the source.
    func joinDone(slot: Int, flow: RequestFlow, engine: Engine) {
        let critical = Int(flow.requests[slot].critical)
        let waitStart = critical >= 0 ? branchTimes[flow.layout.job(slot: slot, branch: critical).index].answeredAt
            : flow.requests[slot].fusionWait
        flow.requests[slot].fusionWait = engine.now - waitStart
        flow.send(flow.tables.response[Int(flow.requests[slot].workload) * flow.tables.responseStride],
                  payload: flow.tables.largestOutput, kind: .response, id: Int64(slot), engine: engine)
    }
}
