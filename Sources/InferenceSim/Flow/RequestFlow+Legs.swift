// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The request core's network legs: sending a message along a leg (at once, through the
/// transport, or via the broker), booking its codec and broker time to the breakdown, and
/// what `BrokerRelay` asks of the flow.
extension RequestFlow {
    /// Sends a message along `leg`; it arrives as event `kind` for `id`, or at once when the
    /// leg takes no time. A request opens its connection first (the protocol's set-up round
    /// trips) unless the leg keeps connections alive; a pooled call says which (`opensConnection`).
    func send(_ leg: FlowTables.LegRef, payload: Double, kind: Kind, id: Int64, engine: Engine,
              opensConnection: Bool? = nil) {
        if leg.withObject({ $0.isInstant }) {
            deliver(kind, id: id, engine: engine)
        } else if leg.withObject({ $0.isRelayed }) {
            relayOut(leg.object, payload: payload, kind: kind, id: id, engine: engine)
        } else {
            transmit(leg, payload: payload, kind: kind, id: id, engine: engine, opensConnection: opensConnection,
                     charged: true)
        }
    }

    /// Times a message along a leg that is neither instant nor relayed: as a flow of the shared
    /// links, or as a delay; its codec time is booked to the breakdown when `charged`.
    @inline(__always)
    func transmit(_ leg: FlowTables.LegRef, payload: Double, kind: Kind, id: Int64, engine: Engine,
                  opensConnection: Bool? = nil, charged: Bool) {
        if leg.withObject({ $0.sharedPath >= 0 }) {
            let time = leg.withObject { leg in
                let reuses = opensConnection.map { !$0 } ?? leg.keepsAlive
                return transport.withObject {
                    $0.transfer(leg, payload: payload, target: controlID, kind: kind.rawValue, id: id, engine: engine,
                                reusesConnection: reuses)
                }
            }
            if charged { charge(time, kind: kind, id: id) }
        } else {
            let time = leg.withObject { leg in
                let reuses = opensConnection.map { !$0 } ?? leg.keepsAlive
                return transport.withObject { $0.delay(leg, payload: payload, reusesConnection: reuses) }
            }
            if charged { charge(time, kind: kind, id: id) }
            engine.schedule(after: time.total, target: controlID, kind: kind.rawValue, payload: id)
        }
    }

    /// A relayed leg: through the broker, or an overlapped call's hand-off (the send is done).
    @inline(never)  // off the hot path, kept out of it
    private func relayOut(_ leg: Transport.Leg, payload: Double, kind: Kind, id: Int64, engine: Engine) {
        if leg.overlapsReceipt {
            receipts.sendDone(slot: Int(id), flow: self, engine: engine)
        } else {
            sendViaBroker(leg, payload: payload, kind: kind, id: id, engine: engine)
        }
    }

    /// The first half of a `via: queue` leg: to the broker, remembering the rest.
    private func sendViaBroker(_ leg: Transport.Leg, payload: Double, kind: Kind, id: Int64, engine: Engine) {
        guard let via = leg.viaBroker, let brokerRelay else { preconditionFailure("a queue leg without a broker") }
        brokerRelay.publish(job: JobID(rawValue: id), .init(consume: UnownedRef(via.consume), kind: kind.rawValue, payload: payload))
        send(UnownedRef(via.publish), payload: payload, kind: .atBroker, id: id, engine: engine)
    }

    /// Books a leg's codec time to the breakdown of the job that travels it.
    @inline(__always)
    private func charge(_ time: Transport.LegTime, kind: Kind, id: Int64) {
        guard time.serialization != 0, id >= 0 else { return }  // not for duplicates
        charge(serialization: time.serialization, broker: 0, kind: kind, id: id)
    }

    /// Books breakdown time to its owner: a fan-out branch's own legs to the branch, every
    /// other leg to the request; a message at the broker to the leg it travels.
    private func charge(serialization: SimTime, broker brokerTime: SimTime, kind: Kind, id: Int64) {
        let index = JobID(rawValue: id).firstAttempt.index
        var owner = kind
        if kind == .atBroker, let brokerRelay, let final = Kind(rawValue: brokerRelay.transit(of: JobID(rawValue: id)).kind) {
            owner = final
        }
        if shape == .fanOut && (owner == .atStation || owner == .atJoin) {
            if branchRetries.isOn {  // not for attempts the caller gave up on
                if fanOut.branchTimes[index].attempt != JobID(rawValue: id).attempt { return }
            }
            fanOut.branchTimes[index].serialization += serialization
            fanOut.branchTimes[index].broker += brokerTime
        } else {
            requests[index].serialization += serialization
            requests[index].broker += brokerTime
        }
    }

    // MARK: Broker (what `BrokerRelay` asks of the flow)

    /// Books `time` at the broker to the breakdown of the job whose message it served.
    func chargeBroker(_ time: SimTime, job: JobID) {
        charge(serialization: 0, broker: time, kind: .atBroker, id: job.rawValue)
    }

    /// The stage a message handed on to event `kind` is for, −1 when its consumer runs no model.
    func stageConsuming(_ job: JobID, kind: Int32) -> Int32 {
        Kind(rawValue: kind) == .atStation ? Int32(stageIndex(job: job, slot: layout.slot(of: job.firstAttempt))) : -1
    }

    /// Sends a message the broker handed on along `leg`: it ends as event `kind` (a raw
    /// `Kind` the flow gave at `publish`), or, for a duplicate (`kind` nil), at its stage.
    func relay(_ job: JobID, over leg: FlowTables.LegRef, payload: Double, kind: Int32?, engine: Engine) {
        guard let kind else {
            send(leg, payload: payload, kind: .duplicate, id: job.rawValue, engine: engine)
            return
        }
        guard let kind = Kind(rawValue: kind) else { preconditionFailure("unknown flow event \(kind)") }
        send(leg, payload: payload, kind: kind, id: job.rawValue, engine: engine)
    }
}
