// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// Generates the arrivals of one workload: each arrival event creates a request and
/// schedules the next arrival, so one event per request.
final class ArrivalSource: EventHandler {
    private let flow: RequestFlow
    private let interarrival: Sampler
    private let stream: RandomStream
    private var id: HandlerID = -1

    init(process: ArrivalProcess, stream: RandomStream, flow: RequestFlow, engine: Engine) throws {
        switch process {
        case .poisson(let rate):
            guard rate > 0, rate.isFinite else {
                throw SimulationBuildError("arrival rate must be positive and finite, got \(rate)")
            }
            interarrival = try Sampler(.exponential(mean: 1 / rate))
        }
        self.stream = stream
        self.flow = flow
        id = engine.register(self)
    }

    /// Schedules the first arrival, one interarrival time after time 0.
    func start(engine: Engine) {
        scheduleNext(engine: engine)
    }

    func handle(_ event: Event, engine: Engine) {
        scheduleNext(engine: engine)
        flow.requestArrived(engine: engine)
    }

    private func scheduleNext(engine: Engine) {
        let gap = SimTimeConversion.nanoseconds(fromSeconds: interarrival.sample(stream))
        engine.schedule(after: gap, target: id)
    }
}
