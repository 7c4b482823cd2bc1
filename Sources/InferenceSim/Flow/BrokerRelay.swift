// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The broker part of the request flow: the delegate of the broker node's station and the
/// handler of its redeliveries, so the flow's own station callbacks never ask which station
/// called. A message published on a `via: queue` leg is served here (`BrokerStage`: service
/// plus persistence, booked to the job's breakdown as broker time), then handed on to its
/// consumer; when the consumer's acknowledgement is lost, a duplicate follows
/// `redeliveryAfter` later (docs/cost-models.md, "Message broker").
///
/// Ownership: the broker station retains the relay (its delegate), the relay owns the
/// `BrokerStage`, and it reaches the flow as an `UnownedRef` (`Simulation` keeps the flow alive
/// for the whole run, and the flow does not own the relay's station).
final class BrokerRelay: FIFOStationDelegate, EventHandler {
    private let stage: BrokerStage
    private let flow: UnownedRef<RequestFlow>
    private var redeliveryID: HandlerID = -1
    /// Measured window: messages the broker handed on, and duplicates it delivered again.
    private(set) var messages = 0
    private(set) var duplicates = 0

    init(stage: BrokerStage, flow: RequestFlow, engine: Engine) {
        self.stage = stage
        self.flow = UnownedRef(flow)
        redeliveryID = engine.register(self)
    }

    /// Remembers where job `job`'s message goes once the broker has handled it.
    @inline(__always)
    func publish(job: JobID, _ next: BrokerStage.Transit) { stage.enter(job: job.firstAttempt.index, next) }

    /// Where job `job`'s message goes once the broker has handled it.
    @inline(__always)
    func transit(of job: JobID) -> BrokerStage.Transit { stage.leave(job: job.firstAttempt.index) }

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        let duration = stage.drawServiceTime()
        flow.withObject { $0.chargeBroker(waited + duration, job: JobID(rawValue: job)) }
        return duration
    }

    /// The broker has handled job `job`'s message: on to the consumer, and, when the
    /// consumer's acknowledgement is lost, a duplicate due `redeliveryAfter` later.
    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        let id = JobID(rawValue: job)
        let next = transit(of: id)
        if flow.withObject({ $0.measuring }) { messages += 1 }
        if stage.acknowledgementLost() {
            stage.schedule(.init(consume: next.consume, payload: next.payload,
                                 stage: flow.withObject { $0.stageConsuming(id, kind: next.kind) }))
            engine.schedule(after: stage.redeliveryAfter, target: redeliveryID, kind: 0)
        }
        flow.withObject { $0.relay(id, over: next.consume, payload: next.payload, kind: next.kind, engine: engine) }
    }

    /// A redelivery is due: a model placement processes the duplicate (its answer is
    /// discarded); other consumers drop it.
    func handle(_ event: Event, engine: Engine) {
        let again = stage.nextRedelivery()
        if flow.withObject({ $0.measuring }) { duplicates += 1 }
        if again.stage >= 0 {
            flow.withObject {
                $0.relay(.duplicate(stage: Int(again.stage)), over: again.consume, payload: again.payload, kind: nil,
                         engine: engine)
            }
        }
    }
}
