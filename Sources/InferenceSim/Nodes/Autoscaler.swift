// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import ScenarioModel
import SimCore

/// Scales one cloud pool's station by target tracking (docs/cost-models.md, "Autoscaling").
///
/// Every `interval` (from t = interval) it reads the metric over the last interval (since the
/// statistics reset when measurement began inside it) and computes
/// desired = clamp(⌈serving · metric / target⌉, min, max).
/// - **Scale out** when desired > serving + booting and no cooldown runs: launch
///   min(step, desired − serving − booting) instances; each serves after its own boot time
///   (VM boot + image pull + model load; draws from the stream `autoscaler/<node>`), and a
///   cooldown starts.
/// - **Scale in** when desired < serving and nothing boots: the first such evaluation starts
///   the delay; at the first evaluation at least `scaleInDelay` later the newest serving
///   instance is terminated (its jobs in service finish; billing stops now), and the delay
///   starts again. Any evaluation with desired ≥ serving clears it.
/// The evaluations stop rescheduling once nothing but periodic handlers is pending (an
/// exhausted run still ends).
final class Autoscaler: EventHandler {
    let spec: AutoscalingSpec
    let workersPerInstance: Int
    let station: any ServiceStation
    private let boot: Sampler
    private let modelLoad: Sampler?
    /// The image pull of every launch, ns.
    private let pull: SimTime
    private let stream: RandomStream
    private let interval: SimTime
    private(set) var id: HandlerID = -1

    /// Every instance launched, initial ones at t = 0.
    private(set) var history = PoolHistory()
    /// Indices into `history` of serving instances, oldest first.
    private var serving: [Int] = []
    private var booting = 0
    /// Instances booting over every pool of the replication (shared with the measurement).
    private let bootingEverywhere: UnsafeMutablePointer<Int>
    private var cooldownUntil: SimTime = 0
    private var belowSince: SimTime?
    private var intervals = StationIntervals()
    /// Periodic handlers besides this one (each keeps one event pending); evaluations stop
    /// once nothing but them is pending.
    var periodicPeers = 0

    private enum Kind: Int32 { case evaluate = 0, ready = 1 }

    /// Registers with `engine`, starts `initial` serving instances at t = 0 and schedules the
    /// first evaluation.
    init(spec: AutoscalingSpec, initial: Int, workersPerInstance: Int, station: any ServiceStation, pullSeconds: Double,
         stream: RandomStream, bootingEverywhere: UnsafeMutablePointer<Int>, engine: Engine) throws {
        guard spec.interval > 0 else { throw SimulationBuildError("autoscaling interval must be positive") }
        guard 1 <= spec.min, spec.min <= spec.max, (spec.min...spec.max).contains(initial) else {
            throw SimulationBuildError("autoscaling needs 1 ≤ min ≤ instances ≤ max")
        }
        self.spec = spec
        self.workersPerInstance = workersPerInstance
        self.station = station
        do { boot = try Sampler(spec.boot) } catch { throw SimulationBuildError("autoscaling boot time: \(error)") }
        do { modelLoad = try spec.modelLoad.map { try Sampler($0) } } catch {
            throw SimulationBuildError("autoscaling model load time: \(error)")
        }
        pull = SimTimeConversion.nanoseconds(fromSeconds: pullSeconds)
        self.stream = stream
        self.bootingEverywhere = bootingEverywhere
        interval = max(1, SimTimeConversion.nanoseconds(fromSeconds: spec.interval))
        for index in 0..<initial {
            history.lifetimes.append(.init(launch: 0, ready: 0))
            serving.append(index)
        }
        id = engine.register(self)
        engine.schedule(at: engine.now + interval, target: id, kind: Kind.evaluate.rawValue)
    }

    /// Serving instances now.
    var servingCount: Int { serving.count }
    /// Launched instances not serving yet.
    var bootingCount: Int { booting }

    func handle(_ event: Event, engine: Engine) {
        if event.kind == Kind.ready.rawValue {
            let index = Int(event.payload)
            history.lifetimes[index].ready = engine.now
            booting -= 1
            bootingEverywhere.pointee -= 1
            serving.append(index)
            station.setWorkers(serving.count * workersPerInstance, engine: engine)
        } else {
            evaluate(engine: engine)
            if engine.pendingEvents > periodicPeers {
                engine.schedule(at: engine.now + interval, target: id, kind: Kind.evaluate.rawValue)
            }
        }
    }

    /// The metric over the last interval.
    private func metric(at now: SimTime) -> Double {
        let delta = intervals.advance(station, to: now)
        switch spec.metric {
        case .utilization:
            return delta.available > 0 ? delta.busy / delta.available : 0
        case .queuePerInstance:
            guard delta.span > 0, !serving.isEmpty else { return 0 }
            return (delta.busy + delta.waiting) / delta.span / Double(serving.count)
        }
    }

    private func evaluate(engine: Engine) {
        let now = engine.now
        let value = metric(at: now)
        let current = serving.count
        // A tiny tolerance keeps exact ratios (0.6 / 0.6 · n) from rounding up by one.
        let wanted = Int((Double(current) * value / spec.target - 1e-9).rounded(.up))
        let desired = min(max(wanted, spec.min), spec.max)
        if desired > current + booting {
            belowSince = nil
            guard now >= cooldownUntil else { return }
            let launches = min(spec.step, desired - current - booting)
            for _ in 0..<launches {
                let index = history.lifetimes.count
                history.lifetimes.append(.init(launch: now))
                booting += 1
                bootingEverywhere.pointee += 1
                let delay = SimTimeConversion.nanoseconds(fromSeconds: boot.sample(stream)) + pull
                    + SimTimeConversion.nanoseconds(fromSeconds: modelLoad?.sample(stream) ?? 0)
                engine.schedule(at: now + delay, target: id, kind: Kind.ready.rawValue, payload: Int64(index))
            }
            cooldownUntil = now + SimTimeConversion.nanoseconds(fromSeconds: spec.cooldown)
        } else if desired < current, booting == 0 {
            guard let since = belowSince else { belowSince = now; return }
            guard now - since >= SimTimeConversion.nanoseconds(fromSeconds: spec.scaleInDelay) else { return }
            let index = serving.removeLast()
            history.lifetimes[index].termination = now
            station.setWorkers(serving.count * workersPerInstance, engine: engine)
            belowSince = now
        } else {
            belowSince = nil
        }
    }
}
