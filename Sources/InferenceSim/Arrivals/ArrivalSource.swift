// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
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
            start(try PoissonArrivals(rate: rate, stream: stream), workload: workload, flow: flow, engine: engine)
        case .mmpp(let states):
            start(try MMPPArrivals(states: states, stream: stream), workload: workload, flow: flow, engine: engine)
        case .diurnal(let points, let period):
            start(try DiurnalArrivals(points: points, period: period, stream: stream), workload: workload, flow: flow,
                  engine: engine)
        case .trace(let timestamps):
            // Deterministic: the stream is not drawn from.
            start(try TraceArrivals(timestamps: timestamps), workload: workload, flow: flow, engine: engine)
        case .streams(let count, let interval):
            // Deterministic: the stream is not drawn from.
            start(try StreamArrivals(count: count, interval: interval), workload: workload, flow: flow, engine: engine)
        }
    }

    /// One source per generator type, so each workload's hot path is specialised.
    private static func start<G: ArrivalGenerator>(_ generator: G, workload: Int, flow: RequestFlow, engine: Engine) {
        ArrivalSource(generator: generator, workload: workload, flow: flow, engine: engine).start(engine: engine)
    }
}
