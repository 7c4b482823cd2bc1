// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Pipeline calls whose `serverWork` starts with the caller's send (`serverWorkStarts:
/// withSend`; docs/cost-models.md, "Receipt overlapping the send").
///
/// For such a call into stage k, the **send** is the job of stage k − 1 (the caller's stage
/// before the call, e.g. a front's stage that reads the previous answer and writes this call).
/// When that job starts service, the call's message leaves along stage k's forward leg (its
/// `callOverhead`, codec and wire: the leg's delay W), and on arrival the call's **receipt**
/// (its `serverWork`, drawn per call as without the option) is a job of its own at stage k's
/// station, where it queues like any job. The handler's job (the model's service time alone)
/// arrives at stage k's station when both the send's job and the receipt's job are done. At
/// low load, with send S and receipt R, the hand-off takes max(S, W + R) instead of
/// S + W + R; both stations are busy for their own work exactly as before.
///
/// Breakdown: of the time between the send's end and the hand-off, the receipt's wait is
/// `queueing` (and `wait_s`), its service `service`, and the leg's delay the remainder
/// (`network`); what overlaps the send is not booked again (the send's job is).
final class OverlappedReceipts {
    /// When each step of a request's current overlapped hand-off happened (−1: not yet).
    struct Times {
        var sendEnd: SimTime = -1
        var arrived: SimTime = -1
        var waited: SimTime = 0
        var receiptEnd: SimTime = -1
    }

    /// Per stage: the receipt work of the call into it (nil: not overlapped).
    private var work: [Transport.CallOverheadDraw?] = []
    /// Per request slot: its hand-off in progress (grows with the request table's slots).
    private var times = GrowableBuffer<Times>(filler: Times())
    /// The engine, for the time of station callbacks that do not carry it.
    private var engine: UnownedRef<Engine>?

    /// Whether any call is overlapped.
    var isOn: Bool { engine != nil }

    /// Turns the part on for the plan's per-stage receipt work (stays off when none).
    func configure(work: [Transport.CallOverheadDraw?], engine: Engine) {
        guard work.contains(where: { $0 != nil }) else { return }
        self.work = work
        self.engine = UnownedRef(engine)
    }

    /// Whether the call into `stage` is overlapped.
    @inline(__always)
    func overlaps(stage: Int) -> Bool { stage < work.count && work[stage] != nil }

    /// Stage `stage`'s job for request `slot` starts: when the call into the next stage is
    /// overlapped, its message leaves now (always as an event, so that a receipt at the same
    /// station never arrives inside that station's own callback).
    func sendStarts(slot: Int, stage: Int, flow: RequestFlow) {
        guard overlaps(stage: stage + 1), let engine else { return }
        times.reserve(upTo: slot)
        times[slot] = Times()
        engine.withObject { engine in
            let leg = flow.tables.forward[stage + 1]
            if leg.withObject({ $0.isInstant }) {
                engine.schedule(after: 0, target: flow.controlID, kind: RequestFlow.Kind.atReceipt.rawValue, payload: Int64(slot))
            } else {
                flow.send(leg, payload: flow.tables.output[stage], kind: .atReceipt, id: Int64(slot), engine: engine)
            }
        }
    }

    /// The call's message reached the called node: its receipt job arrives at the next stage's station.
    func arrived(slot: Int, flow: RequestFlow, engine: Engine) {
        times[slot].arrived = engine.now
        let stage = Int(flow.requests[slot].stage) + 1
        flow.tables.stages[stage].withObject { $0.arrive(JobID.frontWork(.receipt, slot: slot).rawValue, engine: engine) }
    }

    /// The receipt job of request `slot` starts after waiting `waited`: its drawn work.
    func receiptDuration(slot: Int, waited: SimTime, flow: RequestFlow) -> SimTime {
        times[slot].waited = waited
        guard let draw = work[Int(flow.requests[slot].stage) + 1] else { preconditionFailure("a receipt for a call that is not overlapped") }
        return draw.next()
    }

    /// The send's job is done; the hand-off happens if the receipt is done too.
    func sendDone(slot: Int, flow: RequestFlow, engine: Engine) {
        times[slot].sendEnd = engine.now
        if times[slot].receiptEnd >= 0 { handOff(slot: slot, flow: flow, engine: engine) }
    }

    /// The receipt job is done; the hand-off happens if the send is done too.
    func receiptDone(slot: Int, flow: RequestFlow, engine: Engine) {
        times[slot].receiptEnd = engine.now
        if times[slot].sendEnd >= 0 { handOff(slot: slot, flow: flow, engine: engine) }
    }

    /// Both ends are done: the part of the receipt's wait and work after the send's end is
    /// booked, and the handler's job goes to the next stage.
    private func handOff(slot: Int, flow: RequestFlow, engine: Engine) {
        let t = times[slot]
        let started = t.arrived &+ t.waited
        let queueing = max(0, started - max(t.arrived, t.sendEnd))
        let service = max(0, t.receiptEnd - max(started, t.sendEnd))
        flow.requests[slot].waited += queueing
        flow.requests[slot].service += service
        flow.requests[slot].stage += 1
        flow.deliver(.atStation, id: Int64(slot), engine: engine)
    }
}
