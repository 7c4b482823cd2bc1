// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// The life of requests in one replication: arrival, the deployment's stages in order,
/// completion, and the measurement window (warm-up, then `requests` completions or
/// `duration` seconds).
///
/// Ownership keeps the hot path free of reference counting and of cycles: the engine owns
/// the stations, each station owns this flow as its delegate, and the flow reaches the
/// stations only through unretained references (`Simulation` keeps them alive).
final class RequestFlow: FIFOStationDelegate, EventHandler {
    private let run: RunSettings
    private var requests = RequestTable()
    private var stages: [ServiceStage] = []
    /// `stages` without reference counting (`stages` keeps them alive).
    private var stageTable = UnsafeMutableBufferPointer<Unmanaged<ServiceStage>>(start: nil, count: 0)
    private var stations: [Unmanaged<FIFOStation>] = []
    private var controlID: HandlerID = -1

    private(set) var measuring = false
    private(set) var measurementStart: SimTime = 0
    private(set) var arrivedTotal = 0
    private(set) var completedTotal = 0
    private(set) var metrics: MeasurementCollector
    private(set) var peakInFlight = 0
    private var inSystemArea: Double = 0
    private var inSystemLastChange: SimTime = 0

    private enum Control: Int32 {
        case beginMeasurement = 0
        case endMeasurement = 1
    }

    init(run: RunSettings, metrics: MeasurementCollector) {
        self.run = run
        self.metrics = metrics
    }

    /// Hands the flow its stages (in deployment order) and the stations they run at; the
    /// stations were created with this flow as their delegate. Called once, before `start`.
    func attach(stages: [ServiceStage], stations: [FIFOStation]) {
        precondition(self.stages.isEmpty && !stages.isEmpty, "attach exactly once, with at least one stage")
        self.stages = stages
        stageTable = .allocate(capacity: stages.count)
        _ = stageTable.initialize(from: stages.map { Unmanaged.passUnretained($0) })
        self.stations = stations.map { Unmanaged.passUnretained($0) }
    }

    deinit {
        stageTable.deallocate()
    }

    /// Registers the flow for its control events and schedules the start of measurement
    /// (or starts it now when there is no warm-up).
    func start(engine: Engine) {
        controlID = engine.register(self)
        if let warmup = run.warmupDuration, warmup > 0 {
            engine.schedule(at: SimTimeConversion.nanoseconds(fromSeconds: warmup), target: controlID,
                            kind: Control.beginMeasurement.rawValue)
        } else if run.warmupRequests == 0 {
            beginMeasurement(engine: engine)
        }
    }

    /// Requests in flight now.
    var inFlight: Int { requests.live }

    // MARK: Requests

    /// A new request enters the system now.
    func requestArrived(engine: Engine) {
        let now = engine.now
        accumulateInSystem(until: now)
        arrivedTotal += 1
        let slot = requests.allocate(arrivingAt: now)
        if requests.live > peakInFlight { peakInFlight = requests.live }
        stageTable[0]._withUnsafeGuaranteedRef { $0.arrive(Int64(slot), engine: engine) }
    }

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        let slot = Int(job)
        requests[slot].waited += waited
        return stageTable[Int(requests[slot].stage)]._withUnsafeGuaranteedRef { $0.drawServiceTime() }
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        let slot = Int(job)
        let next = Int(requests[slot].stage) + 1
        if next < stageTable.count {
            requests[slot].stage = Int32(next)
            stageTable[next]._withUnsafeGuaranteedRef { $0.arrive(job, engine: engine) }
        } else {
            requestCompleted(slot, engine: engine)
        }
    }

    private func requestCompleted(_ slot: Int, engine: Engine) {
        let now = engine.now
        accumulateInSystem(until: now)
        completedTotal += 1
        if measuring {
            metrics.record(latency: now - requests[slot].arrivalTime, wait: requests[slot].waited,
                           at: now - measurementStart)
            if let target = run.requests, metrics.completed >= target {
                engine.stop()
            }
        } else if run.warmupDuration == nil, completedTotal == run.warmupRequests {
            beginMeasurement(engine: engine)
        }
        requests.release(slot)
    }

    private func accumulateInSystem(until now: SimTime) {
        inSystemArea += Double(now - inSystemLastChange) * Double(requests.live)
        inSystemLastChange = now
    }

    // MARK: Measurement window

    func handle(_ event: Event, engine: Engine) {
        switch Control(rawValue: event.kind) {
        case .beginMeasurement: beginMeasurement(engine: engine)
        case .endMeasurement: engine.stop()
        case nil: preconditionFailure("unknown control event \(event.kind)")
        }
    }

    private func beginMeasurement(engine: Engine) {
        let now = engine.now
        measuring = true
        measurementStart = now
        accumulateInSystem(until: now)
        inSystemArea = 0
        for station in stations { station._withUnsafeGuaranteedRef { $0.resetStatistics(at: now) } }
        if let duration = run.duration, run.requests == nil {
            engine.schedule(at: now + SimTimeConversion.nanoseconds(fromSeconds: duration), target: controlID,
                            kind: Control.endMeasurement.rawValue)
        }
    }

    /// Time-averaged number of requests in the system from the start of measurement to `now`.
    func meanInSystem(at now: SimTime) -> Double {
        accumulateInSystem(until: now)
        let span = Double(now - measurementStart)
        return measuring && span > 0 ? inSystemArea / span : 0
    }
}
