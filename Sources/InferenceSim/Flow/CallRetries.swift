// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

/// Timeouts and retries of calls (`protocols.*.timeout`, `retries`, `backoff`;
/// docs/cost-models.md, "Timeouts and retries"): one machine for the entry calls of single,
/// pipeline and cascade deployments (`EntryCall`) and for fan-out branch calls (`BranchCall`).
///
/// Per attempt: its timer starts when it is sent. When the timer fires and the caller still
/// waits for that attempt, the caller gives up on it (its pooled connection goes back to the
/// pool) and sends the call again after the policy's backoff, or, with no retry left, gives
/// up on the request. A timer or retry event keeps its request's slot (`outstanding`) until
/// it has run. What differs between the two kinds of call (how an attempt is identified,
/// whether it is still awaited, how it is sent again, what giving up means) is `Call`'s.
///
/// Owns the policies (per workload or per branch) and the measured counts.
final class CallRetries<Call: RetriedCall> {
    /// Per call (workload or branch): its timeout policy, nil when it has none.
    private var policies: [CallPolicy?] = []
    /// Whether any call has a timeout.
    private(set) var isOn = false
    /// Measured window: attempts that timed out, and retries sent.
    private(set) var timedOut = 0
    private(set) var retried = 0

    /// Per call (workload or branch): its policy.
    func configure(policies: [CallPolicy?]) {
        self.policies = policies
        isOn = policies.contains { $0 != nil }
    }

    /// Starts the timer of a first attempt `attempt` of call `call` (workload or branch), when
    /// that call has a timeout.
    @inline(__always)
    func startTimer(call: Int, attempt: Int64, flow: RequestFlow, engine: Engine) {
        if isOn, let policy = policies[call] { startTimer(attempt, policy, flow: flow, engine: engine) }
    }

    /// Starts the timer of `attempt` (an event payload, `Call`'s), sent now under `policy`.
    func startTimer(_ attempt: Int64, _ policy: CallPolicy, flow: RequestFlow, engine: Engine) {
        flow.requests[Call.slot(of: attempt, flow: flow)].outstanding += 1
        engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.timeout), target: flow.controlID,
                        kind: Call.timeoutKind.rawValue, payload: attempt)
    }

    /// The timer of `attempt` fired: if its answer is not in, the caller gives up on it and
    /// retries after the backoff, or, with no retry left, gives up on the request.
    func timedOut(_ attempt: Int64, flow: RequestFlow, engine: Engine) {
        let slot = Call.slot(of: attempt, flow: flow)
        defer { flow.release(slot) }
        guard Call.isAwaited(attempt, flow: flow), let policy = policies[Call.call(of: attempt, flow: flow)] else { return }
        if flow.measuring { timedOut += 1 }
        let connection = Call.abandon(attempt, flow: flow)
        if connection >= 0 { flow.pooledCalls.release(connection, abandoned: true, flow: flow, engine: engine) }
        let number = Call.number(of: attempt, flow: flow)
        if number < policy.retries {
            let next = Call.nextAttempt(after: attempt, flow: flow)
            flow.requests[slot].outstanding += 1
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.backoff(after: number)),
                            target: flow.controlID, kind: Call.retryKind.rawValue, payload: next)
        } else {
            Call.giveUp(attempt, flow: flow, engine: engine)
        }
    }

    /// The backoff after a timeout is over: the call is sent again as attempt `attempt` (the
    /// retry event's payload), with its own timer, unless the request no longer wants it.
    func retry(_ attempt: Int64, flow: RequestFlow, engine: Engine) {
        let slot = Call.slot(of: attempt, flow: flow)
        defer { flow.release(slot) }
        guard Call.isWanted(attempt, flow: flow), let policy = policies[Call.call(of: attempt, flow: flow)] else { return }
        if flow.measuring { retried += 1 }
        Call.resend(attempt, policy: policy, retries: self, flow: flow, engine: engine)
    }
}

/// What differs between calls whose attempts `CallRetries` times out and retries. An attempt
/// is an event payload whose meaning is the conforming type's.
protocol RetriedCall {
    /// The flow's event kinds of this call's timeouts and retries.
    static var timeoutKind: RequestFlow.Kind { get }
    static var retryKind: RequestFlow.Kind { get }
    /// The request slot that `attempt` keeps.
    static func slot(of attempt: Int64, flow: RequestFlow) -> Int
    /// The call (the index of its policy) that `attempt` belongs to.
    static func call(of attempt: Int64, flow: RequestFlow) -> Int
    /// The attempt's number: 0 for the first, 1... for retries.
    static func number(of attempt: Int64, flow: RequestFlow) -> Int
    /// Whether the caller still waits for `attempt`'s answer.
    static func isAwaited(_ attempt: Int64, flow: RequestFlow) -> Bool
    /// The caller gives up on `attempt`: returns the pooled connection it held (−1: none).
    static func abandon(_ attempt: Int64, flow: RequestFlow) -> Int32
    /// The payload of the retry event that follows `attempt` (the attempt it will send).
    static func nextAttempt(after attempt: Int64, flow: RequestFlow) -> Int64
    /// No retry is left after `attempt`: the request is dropped.
    static func giveUp(_ attempt: Int64, flow: RequestFlow, engine: Engine)
    /// Whether the retry `attempt` is still to be sent.
    static func isWanted(_ attempt: Int64, flow: RequestFlow) -> Bool
    /// Sends the retry `attempt` and starts its timer (`retries.startTimer`).
    static func resend(_ attempt: Int64, policy: CallPolicy, retries: CallRetries<Self>, flow: RequestFlow,
                       engine: Engine)
}
