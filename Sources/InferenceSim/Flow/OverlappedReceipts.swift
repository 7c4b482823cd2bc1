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
///
/// Wiring, so that scenarios without the option run the same instructions: the send's stage
/// carries the hook in its `ServiceStage.Extras` (checked with its serverWork), and the flow's
/// leg into the called stage is a relayed copy (`Transport.Leg.overlappingReceipt()`, checked
/// with the broker's), whose "send" at the job's end is the send's end here.
final class OverlappedReceipts {
    /// A request's hand-off in progress: the stage it goes to and when each step happened.
    struct Times {
        var stage: Int32 = 0
        var sendEnd: SimTime = -1
        var arrived: SimTime = -1
        var waited: SimTime = 0
        var receiptEnd: SimTime = -1
    }

    /// Per stage: the receipt work of the call into it, and the leg its message takes (nil:
    /// not overlapped).
    private var work: [Transport.CallOverheadDraw?] = []
    private var legs: [Transport.Leg?] = []
    /// Per request slot (grows with the request table's slots).
    private var times = GrowableBuffer<Times>(filler: Times())
    /// The engine, for the time of station callbacks that do not carry it (nil: idle).
    private var engine: UnownedRef<Engine>?

    /// Turns the part on for the plan's per-stage receipt work and message legs.
    func configure(work: [Transport.CallOverheadDraw?], legs: [Transport.Leg?], engine: Engine) {
        self.work = work
        self.legs = legs
        self.engine = UnownedRef(engine)
    }

    /// The job of stage `stage` (an overlapped call's send) starts for request `slot`: the call
    /// into the next stage leaves now (an instant leg still as an event, so that a receipt at
    /// the same station never arrives inside that station's own callback). Its codec and
    /// callOverhead are not booked here (the hand-off books what is on the critical path).
    func sendStarts(slot: Int, stage: Int, flow: RequestFlow) {
        guard let engine, let leg = legs[stage + 1] else { preconditionFailure("a send for a call that is not overlapped") }
        times.reserve(upTo: slot)
        times[slot] = Times(stage: Int32(stage + 1))
        engine.withObject { engine in
            if leg.isInstant {
                engine.schedule(after: 0, target: flow.controlID, kind: RequestFlow.Kind.atReceipt.rawValue, payload: Int64(slot))
            } else {
                flow.transmit(UnownedRef(leg), payload: flow.tables.output[stage], kind: .atReceipt, id: Int64(slot),
                              engine: engine, charged: false)
            }
        }
    }

    /// The call's message reached the called node: its receipt job arrives at that stage's station.
    func arrived(slot: Int, flow: RequestFlow, engine: Engine) {
        times[slot].arrived = engine.now
        flow.tables.stages[Int(times[slot].stage)].withObject {
            $0.arrive(JobID.frontWork(.receipt, slot: slot).rawValue, engine: engine)
        }
    }

    /// The receipt job of request `slot` starts after waiting `waited`: its drawn work.
    func receiptDuration(slot: Int, waited: SimTime) -> SimTime {
        times[slot].waited = waited
        guard let draw = work[Int(times[slot].stage)] else { preconditionFailure("a receipt for a call that is not overlapped") }
        return draw.next()
    }

    /// The send's job is done (the flow moved the request to the called stage and "sent" on the
    /// relayed leg); the hand-off happens if the receipt is done too.
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
    /// booked, and the handler's job goes to the called stage.
    private func handOff(slot: Int, flow: RequestFlow, engine: Engine) {
        let t = times[slot]
        let started = t.arrived &+ t.waited
        flow.requests[slot].waited += max(0, started - max(t.arrived, t.sendEnd))
        flow.requests[slot].service += max(0, t.receiptEnd - max(started, t.sendEnd))
        flow.deliver(.atStation, id: Int64(slot), engine: engine)
    }
}
