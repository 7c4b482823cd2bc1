// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// Generates the arrivals of one workload: each arrival event creates a request and
/// schedules the next arrival, so one event per request. Generic over the generator so the
/// hot path has no dynamic dispatch.
final class ArrivalSource<Generator: ArrivalGenerator>: EventHandler {
    private let flow: RequestFlow
    private var generator: Generator
    private let workload: Int
    private var id: HandlerID = -1

    init(generator: Generator, workload: Int, flow: RequestFlow, engine: Engine) {
        self.generator = generator
        self.workload = workload
        self.flow = flow
        id = engine.register(self)
    }

    /// Schedules the first arrival.
    func start(engine: Engine) {
        engine.schedule(at: generator.next(after: 0), target: id)
    }

    func handle(_ event: Event, engine: Engine) {
        engine.schedule(at: generator.next(after: engine.now), target: id)
        flow.requestArrived(workload: workload, engine: engine)
    }
}

/// Builds the arrival source of a workload.
enum ArrivalSources {
    /// Creates the source of workload `workload` for `process`, drawing from `stream`, and
    /// schedules its first arrival.
    static func start(_ process: ArrivalProcess, workload: Int, stream: RandomStream, flow: RequestFlow,
                      engine: Engine) throws {
        switch process {
        case .poisson(let rate):
            let source = ArrivalSource(generator: try PoissonArrivals(rate: rate, stream: stream), workload: workload,
                                       flow: flow, engine: engine)
            source.start(engine: engine)
        case .mmpp, .diurnal, .trace, .streams:
            throw SimulationBuildError("arrival process \(process) is not simulated yet")
        }
    }
}
