// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// The message broker of `via: queue` legs (docs/cost-models.md, "Message broker"), served
/// by its node's station through `BrokerRelay`: a message published on a leg waits for one of
/// the broker node's workers, takes its `serviceTime` plus `persistence`, and goes on to the
/// consumer. Delivery is at least once: with probability `ackLoss` the consumer's
/// acknowledgement is lost and the broker delivers the message again `redeliveryAfter` later,
/// as a duplicate.
///
/// Per job in transit (a first attempt's `JobID`, one at a time per job) it remembers the
/// rest of the leg; pending redeliveries all wait the same delay, so they leave in FIFO order.
final class BrokerStage {
    /// What a message in the broker still has to do: the leg to the consumer, and the event
    /// and payload that end it.
    struct Transit {
        var consume: UnownedRef<Transport.Leg>
        var kind: Int32
        var payload: Double
    }

    /// A duplicate waiting to be delivered again: the leg, the payload, the event that ends
    /// it, and the stage it is for (−1 when the consumer runs no model).
    struct Redelivery {
        var consume: UnownedRef<Transport.Leg>
        var payload: Double
        var stage: Int32
    }

    private let service: Sampler?
    private let persistence: Sampler?
    private let stream: RandomStream
    let ackLoss: Double
    let redeliveryAfter: SimTime
    private var transit = UnsafeMutablePointer<Transit>.allocate(capacity: 0)
    private var capacity = 0
    /// Pending redeliveries (their legs are kept alive by the plan; nothing is retained).
    private var pending = RingBuffer<Redelivery>()

    init(node: NodeSpec, seed: UInt64, replication: Int) throws {
        service = try node.brokerServiceTime.map { try Sampler($0) }
        persistence = try node.brokerDelivery.persistence.map { try Sampler($0) }
        stream = RandomStream(seed: seed, replication: replication, name: "broker/\(node.name)")
        ackLoss = node.brokerDelivery.ackLoss
        redeliveryAfter = SimTimeConversion.nanoseconds(fromSeconds: node.brokerDelivery.redeliveryAfter)
        guard redeliveryAfter > 0 else {
            throw SimulationBuildError("broker `\(node.name)`: redeliveryAfter must be positive")
        }
    }

    deinit { transit.deallocate() }

    /// Remembers where job `job`'s message goes once the broker has handled it.
    func enter(job: Int, _ next: Transit) {
        if job >= capacity {
            let larger = max(256, capacity * 2, job + 1)
            let storage = UnsafeMutablePointer<Transit>.allocate(capacity: larger)
            storage.moveInitialize(from: transit, count: capacity)
            transit.deallocate()
            transit = storage
            capacity = larger
        }
        (transit + job).initialize(to: next)
    }

    /// Where job `job`'s message goes now that the broker has handled it.
    func leave(job: Int) -> Transit { transit[job] }

    /// The broker's time for one message: service plus persistence, nanoseconds.
    func drawServiceTime() -> SimTime {
        SimTimeConversion.nanoseconds(fromSeconds: (service?.sample(stream) ?? 0) + (persistence?.sample(stream) ?? 0))
    }

    /// Whether the consumer's acknowledgement of this delivery is lost (a redelivery follows).
    func acknowledgementLost() -> Bool {
        ackLoss > 0 && stream.nextUniform() < ackLoss
    }

    /// Queues a redelivery (call in the order the redelivery events are scheduled).
    func schedule(_ redelivery: Redelivery) { pending.append(redelivery) }

    /// The redelivery whose time has come.
    func nextRedelivery() -> Redelivery { pending.removeFirst() }
}
