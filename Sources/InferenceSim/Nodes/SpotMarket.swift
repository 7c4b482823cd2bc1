// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// Preempts the spot instances of a fixed cloud pool (docs/cost-models.md, "Spot
/// instances"). The pool's last `spot` instances are spot; instance k owns the station's
/// worker slots k·w ..< (k+1)·w. Each spot instance serves for an exponential time (rate
/// `preemptionRate`), is preempted — its batches go back to the front of the queue to be
/// retried on the other workers — and a replacement serves after the replacement time, with a
/// fresh time to preemption. Draws come from the stream `spot/<node>`.
final class SpotMarket: EventHandler {
    private let station: BatchStation
    private let workersPerInstance: Int
    private let firstSpot: Int
    /// Time to preemption of one spot instance, exponential with mean 1 / rate.
    private let lifetime: Sampler
    private let replacement: Sampler
    private let stream: RandomStream
    private var id: HandlerID = -1
    /// Times of every preemption, ns.
    private(set) var preemptions: [SimTime] = []

    private enum Kind: Int32 { case preempt, replaced }

    init(spec: SpotSpec, instances: Int, workersPerInstance: Int, station: BatchStation, stream: RandomStream,
         engine: Engine) throws {
        guard spec.preemptionRate > 0 else { throw SimulationBuildError("a spot preemption rate must be positive") }
        do { replacement = try Sampler(spec.replacement) } catch {
            throw SimulationBuildError("spot replacement time: \(error)")
        }
        self.station = station
        self.workersPerInstance = workersPerInstance
        firstSpot = instances - spec.spotInstances(of: instances)
        lifetime = try Sampler(.exponential(mean: 1 / spec.preemptionRate))
        self.stream = stream
        id = engine.register(self)
        for instance in firstSpot..<instances { schedulePreemption(of: instance, engine: engine) }
    }

    private func schedulePreemption(of instance: Int, engine: Engine) {
        let life = SimTimeConversion.nanoseconds(fromSeconds: lifetime.sample(stream))
        engine.schedule(after: max(1, life), target: id, kind: Kind.preempt.rawValue, payload: Int64(instance))
    }

    private func slots(of instance: Int) -> Range<Int> {
        instance * workersPerInstance ..< (instance + 1) * workersPerInstance
    }

    func handle(_ event: Event, engine: Engine) {
        let instance = Int(event.payload)
        if event.kind == Kind.preempt.rawValue {
            preemptions.append(engine.now)
            station.preempt(slots: slots(of: instance), engine: engine)
            let delay = SimTimeConversion.nanoseconds(fromSeconds: replacement.sample(stream))
            engine.schedule(after: delay, target: id, kind: Kind.replaced.rawValue, payload: Int64(instance))
        } else {
            station.restore(slots: slots(of: instance), engine: engine)
            schedulePreemption(of: instance, engine: engine)
        }
    }

    /// Preemptions at or after `start`.
    func preemptions(since start: SimTime) -> Int { preemptions.filter { $0 >= start }.count }
}
