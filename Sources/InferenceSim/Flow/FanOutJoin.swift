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

    /// The event kind that carries a request to its dispatch after any dispatch work
    /// (`atDispatchSends` with send work), so that a dispatch without it checks nothing.
    private(set) var dispatchKind = RequestFlow.Kind.atDispatch
    /// Whether an answer needs more than counting: branch calls with timeouts, pooled calls, or
    /// read work (`checkAnswers`); one test per answer instead of one per feature.
    private var answersNeedChecks = false
    private var readsAnswers = false

    /// Turns the part on for a fan-out of `branches` branches joined by `rule`.
    func configure(rule: FlowPlan.JoinRule, branches: Int) {
        self.rule = rule
        dispatchKind = rule.sendWork == nil ? .atDispatch : .atDispatchSends
        readsAnswers = rule.readWork != nil
        answersFused = Array(repeating: 0, count: branches + 1)
        includedByBranch = Array(repeating: 0, count: branches)
    }

    /// Request `slot` reached the dispatch node (with dispatch work: its work is done,
    /// `FanOutJoin+FrontWork.swift`): one call per branch (each with its timeout when it has
    /// one), and the deadline when the join has one (counted from here: the dispatch is done,
    /// the calls go out; with send work one by one, `dispatchSendingOneByOne`).
    func dispatch(slot: Int, flow: RequestFlow, engine: Engine) {
        guard let rule else { return }
        let branches = openDispatch(slot: slot, rule: rule, flow: flow, engine: engine)
        for branch in 0..<branches {
            let job = flow.layout.job(slot: slot, branch: branch)
            branchTimes[job.index] = .init()
            flow.branchRetries.startTimer(call: branch, attempt: job.rawValue, flow: flow, engine: engine)
            callBranch(job, flow: flow, engine: engine)
        }
    }

    /// What every dispatch does first: the request's branches (returned) and its deadline
    /// hold its slot, the deadline is scheduled, and the dispatch time is noted.
    @inline(__always)
    func openDispatch(slot: Int, rule: FlowPlan.JoinRule, flow: RequestFlow, engine: Engine) -> Int {
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
        return branches
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

    /// The flow's branch calls have timeouts (`retries`) or go over pools (`pools`): answers
    /// need those checks (called once the flow's parts are configured).
    func checkAnswers(retries: Bool, pools: Bool) {
        answersNeedChecks = retries || pools || readsAnswers
    }

    /// A branch's answer reached the join node: counted, and the join happens when every
    /// answer is in, or the deadline has passed and the quorum is reached (`answerIn`); an
    /// answer after the join is late. With timeouts, pools or read work: `checkedAnswerArrived`.
    func answerArrived(_ attempt: JobID, flow: RequestFlow, engine: Engine) {
        if answersNeedChecks { return checkedAnswerArrived(attempt, flow: flow, engine: engine) }
        let slot = flow.layout.slot(of: attempt)
        defer { flow.release(slot) }
        if isLate(slot: slot, flow: flow) { return }
        branchTimes[attempt.index].answeredAt = engine.now
        answerIn(attempt, slot: slot, flow: flow, engine: engine)
    }

    /// `answerArrived` with timeouts, pools or read work: an answer of an attempt given up on
    /// is discarded, a pooled connection released; with read work the answer's read arrives at
    /// the fusion node's station and the branch's hold on the slot passes to it (`answerRead`,
    /// `FanOutJoin+FrontWork.swift`; an answer after the join is neither read nor counted).
    @inline(never)
    private func checkedAnswerArrived(_ attempt: JobID, flow: RequestFlow, engine: Engine) {
        let job = attempt.firstAttempt
        let slot = flow.layout.slot(of: job)
        guard acceptAnswer(attempt, flow: flow, engine: engine), !isLate(slot: slot, flow: flow) else {
            flow.release(slot)
            return
        }
        branchTimes[job.index].answeredAt = engine.now
        if readsAnswers { return startReadWork(job, engine: engine) }
        defer { flow.release(slot) }
        answerIn(job, slot: slot, flow: flow, engine: engine)
    }

    /// Whether request `slot` has joined or failed (then an answer is late: counted, discarded).
    @inline(__always)
    func isLate(slot: Int, flow: RequestFlow) -> Bool {
        if flow.requests[slot].flags.isDisjoint(with: .settled) { return false }
        if flow.measuring { lateAnswers += 1 }
        return true
    }

    /// Whether branch attempt `attempt`'s answer is the one awaited (not when the caller gave
    /// up on its attempt: discarded). Its pooled connection is released either way.
    @inline(__always)
    private func acceptAnswer(_ attempt: JobID, flow: RequestFlow, engine: Engine) -> Bool {
        let job = attempt.firstAttempt
        if flow.branchRetries.isOn {
            // The answer of an attempt the caller gave up on is discarded.
            if branchTimes[job.index].attempt != attempt.attempt { return false }
            branchTimes[job.index].answered = true
        }
        if flow.pooledCalls.isOn, case let connection = branchTimes[job.index].connection, connection >= 0 {
            branchTimes[job.index].connection = -1
            flow.pooledCalls.release(connection, abandoned: false, flow: flow, engine: engine)
        }
        return true
    }

    /// Branch job `job`'s answer counts for request `slot`'s join (it arrived, or with read
    /// work its read is done): the join happens when every answer is in, or the deadline has
    /// passed and the quorum is reached.
    @inline(__always)
    func answerIn(_ job: JobID, slot: Int, flow: RequestFlow, engine: Engine) {
        let branch = flow.layout.branch(of: job)
        flow.requests[slot].answersIn += 1
        flow.requests[slot].arrivedMask |= UInt64(1) << UInt64(branch)
        flow.requests[slot].critical = Int8(branch)
        guard let rule else { return }
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
