// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// `hybridsim-bench engine-floor`: reference scenario S1 (M/M/4, λ = 3.2/s, μ = 1/s) written
/// straight on `Engine`, `RandomStream` and `Sampler`, the way the C++ reference engine is
/// written — no scenario file, request table, stations, latency breakdown or statistics
/// beyond a sum. Its loop time is the floor that the engine and the random numbers set;
/// `hybridsim-bench mmc` minus this floor is what the model layers cost (docs/performance.md).
enum EngineFloor {
    /// Runs `requests` measured departures after `warmup`, checks the mean response time
    /// against M/M/4's (within 5 % — about 4.5 standard errors at 10⁶ requests; a fixed seed,
    /// so the check is deterministic), and returns the `RESULT` fields.
    static func run(requests: Int, warmup: Int, seed: UInt64) throws -> Outcome {
        let expected = try Queueing.mmc(arrivalRate: 3.2, serviceRate: 1.0, servers: 4).meanResponse
        let engine = Engine()
        let model = try MMcModel(arrivalRate: 3.2, serviceRate: 1.0, servers: 4, warmup: warmup, requests: requests,
                                 seed: seed)
        model.id = engine.register(model)
        engine.schedule(at: 0, target: model.id, kind: 0)
        let clock = ContinuousClock()
        let started = clock.now
        engine.run()
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mean = model.responseSum / Double(requests)
        let problem = abs(mean - expected) > 0.05 * expected
            ? "mean response \(mean) s is not within 5 % of M/M/4's \(expected) s" : nil
        return Outcome(loopSeconds: seconds, events: engine.eventsProcessed, endTime: SimTimeConversion.seconds(engine.now),
                       meanResponse: mean, problem: problem)
    }

    /// What a run measured: loop time (s), events, simulated end (s), mean response (s), and
    /// why the self-check failed (nil: it passed).
    struct Outcome {
        var loopSeconds: Double
        var events: UInt64
        var endTime: Double
        var meanResponse: Double
        var problem: String?
    }

    /// The whole model as one event handler: kind 0 is an arrival, kind 1 a departure whose
    /// payload is its request's arrival time (ns).
    final class MMcModel: EventHandler {
        private let stream: RandomStream
        private let arrivalGap: Sampler
        private let service: Sampler
        var id: HandlerID = -1
        private var idleServers: Int
        private var queue = RingBuffer<SimTime>()
        private var completed = 0
        private let warmup: Int
        private let total: Int
        /// Sum of the measured response times, seconds.
        private(set) var responseSum = 0.0

        init(arrivalRate: Double, serviceRate: Double, servers: Int, warmup: Int, requests: Int, seed: UInt64) throws {
            stream = RandomStream(seed: seed, replication: 0, name: "engine-floor")
            arrivalGap = try Sampler(.exponential(mean: 1 / arrivalRate))
            service = try Sampler(.exponential(mean: 1 / serviceRate))
            idleServers = servers
            self.warmup = warmup
            total = warmup + requests
        }

        func handle(_ event: Event, engine: Engine) {
            let now = engine.now
            if event.kind == 0 {
                engine.schedule(at: now + draw(arrivalGap), target: id, kind: 0)
                if idleServers > 0 {
                    idleServers -= 1
                    engine.schedule(at: now + draw(service), target: id, kind: 1, payload: now)
                } else {
                    queue.append(now)
                }
                return
            }
            completed += 1
            if completed > warmup { responseSum += SimTimeConversion.seconds(now - event.payload) }
            if completed == total {
                engine.stop()
            } else if queue.isEmpty {
                idleServers += 1
            } else {
                engine.schedule(at: now + draw(service), target: id, kind: 1, payload: queue.removeFirst())
            }
        }

        private func draw(_ sampler: Sampler) -> SimTime {
            SimTimeConversion.nanoseconds(fromSeconds: sampler.sample(stream))
        }
    }
}
