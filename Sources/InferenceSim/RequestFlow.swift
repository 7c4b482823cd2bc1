// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// The life of requests in one replication: arrival at the workload's source, the
/// deployment's stages (`FlowPlan`), network legs between them, joins with deadlines and
/// quorums, the answer's return to the source; and the measurement window (warm-up, then
/// `requests` completions or `duration` seconds).
///
/// Jobs at stations are identified by `slot << jobShift | branch`. A message that takes no
/// time (same node, in-process call) continues at once instead of becoming an event, so a
/// scenario without links costs exactly one arrival event plus one event per service.
///
/// Ownership keeps the hot path free of reference counting and of cycles: the engine owns
/// the stations, each station owns this flow as its delegate, and the flow reaches the
/// stations only through unretained references (`Simulation` keeps them alive).
final class RequestFlow: FIFOStationDelegate, EventHandler {
    private let run: RunSettings
    private var requests = RequestTable()
    /// Owns the stages and legs that `stageTable` and `tables` reach without counting.
    private var plan: FlowPlan?
    private var tables: FlowTables?
    /// `transportOwner` without reference counting.
    private var transport: Unmanaged<Transport>?
    private var transportOwner: Transport?
    private var shape = Shape.chain
    private var joinRule: FlowPlan.JoinRule?
    /// `plan.stages` without reference counting (the plan keeps them alive).
    private var stageTable = UnsafeMutableBufferPointer<Unmanaged<ServiceStage>>(start: nil, count: 0)
    private var stations: [Unmanaged<FIFOStation>] = []
    /// Node groups' member choices (`plan.groupRouting`, which the plan keeps alive); nil
    /// without groups.
    private var groupRouting: Unmanaged<GroupRouting>?
    private var payloads: [(sampler: Sampler, stream: RandomStream)?] = []
    private var workFactors: [Double] = []
    /// One workload, no payload, no video factor, no network: arrivals go straight to stage 0.
    private var plainArrivals = false
    private var jobShift = 0
    private var branchMask: Int64 = 0
    private var controlID: HandlerID = -1
    // Accuracy (when every placed model defines one): each request's answers of every model,
    // drawn at arrival into `answers[slot · modelCount ..< (slot + 1) · modelCount]`.
    private var accuracy: SyntheticAccuracy?
    /// Replayed prediction logs instead of `accuracy`; request slot s carries `samples[s]`.
    private var replay: PredictionReplay?
    private var samples = UnsafeMutablePointer<Int32>.allocate(capacity: 0)
    private var requestsDrawn = 0
    private var fusion: AnswerFusion?
    private var accuracyStream: RandomStream?
    private var modelCount = 0
    private var answers = UnsafeMutablePointer<ModelAnswer>.allocate(capacity: 0)
    private var answerSlots = 0
    private var cascadeThresholds: [Double] = []
    /// Measured completions whose final answer was right.
    private(set) var correctAnswers = 0
    /// k of recall@k (replay, fan-out), and measured completions with the label in the top k.
    private var recallAt: Int32?
    private(set) var recalledAnswers = 0
    /// Per placement: measured completions for which that model alone was right.
    private(set) var correctByModel: [Int] = []

    private(set) var measuring = false
    private(set) var measurementStart: SimTime = 0
    private(set) var arrivedTotal = 0
    private(set) var completedTotal = 0
    private(set) var droppedTotal = 0
    private(set) var metrics: MeasurementCollector
    private(set) var peakInFlight = 0
    private(set) var inFlight = 0
    /// Measured requests dropped (failed quorum).
    private(set) var droppedMeasured = 0
    /// Answers that reached a join node after it had joined (measured window).
    private(set) var lateAnswers = 0
    /// Measured fused requests by the number of answers fused (index = answers).
    private(set) var answersFused: [Int] = []
    /// Measured fused requests whose fusion included branch b's answer (index = b).
    private(set) var includedByBranch: [Int] = []
    /// Requests in flight over time, seconds (for Little's law: L = λW).
    private var inSystem = TimeWeightedAverage(startTime: 0, initialValue: 0)

    private enum Shape { case chain, fanOut, cascade }

    private enum Kind: Int32 {
        case beginMeasurement, endMeasurement, atStation, atDispatch, atJoin, deadline, joinDone, response
    }

    init(run: RunSettings, metrics: MeasurementCollector) {
        self.run = run
        self.metrics = metrics
    }

    deinit {
        stageTable.deallocate()
        answers.deallocate()
        samples.deallocate()
        tables?.deallocate()
    }

    /// Turns on accuracy: answers drawn per request from `stream`, fused (fan-out) with `fusion`.
    func enableAccuracy(_ model: SyntheticAccuracy, fusion: AnswerFusion?, stream: RandomStream) {
        accuracy = model
        self.fusion = fusion
        accuracyStream = stream
        modelCount = model.count
        correctByModel = Array(repeating: 0, count: model.count)
        plainArrivals = false
    }

    /// Turns on accuracy from prediction logs: request n carries sample n mod N of `replay`.
    func enableAccuracy(replaying replay: PredictionReplay, fusion: AnswerFusion?, recallAt: Int?) {
        self.replay = replay
        self.recallAt = recallAt.map(Int32.init)
        self.fusion = fusion
        modelCount = replay.count
        correctByModel = Array(repeating: 0, count: replay.count)
        plainArrivals = false
    }

    private var accuracyEnabled: Bool { accuracy != nil || replay != nil }

    /// The answers of request `slot`.
    private func answers(of slot: Int) -> UnsafeMutableBufferPointer<ModelAnswer> {
        UnsafeMutableBufferPointer(start: answers + slot * modelCount, count: modelCount)
    }

    private func drawAnswers(slot: Int) {
        if slot >= answerSlots {
            let larger = max(64, answerSlots * 2, slot + 1)
            let storage = UnsafeMutablePointer<ModelAnswer>.allocate(capacity: larger * modelCount)
            storage.moveInitialize(from: answers, count: answerSlots * modelCount)
            answers.deallocate()
            answers = storage
            let sampleStorage = UnsafeMutablePointer<Int32>.allocate(capacity: larger)
            sampleStorage.moveInitialize(from: samples, count: answerSlots)
            samples.deallocate()
            samples = sampleStorage
            answerSlots = larger
        }
        if let replay {
            let sample = replay.sample(forRequest: requestsDrawn)
            requestsDrawn += 1
            samples[slot] = Int32(sample)
            replay.fill(into: answers(of: slot), sample: sample)
        } else if let accuracy, let stream = accuracyStream {
            accuracy.draw(into: answers(of: slot), stream: stream)
        }
    }

    private func setCorrect(_ correct: Bool, slot: Int) {
        if correct { requests[slot].flags |= RequestFlags.correct } else { requests[slot].flags &= ~RequestFlags.correct }
    }

    /// Hands the flow its compiled deployment, the stations it uses (created with this flow
    /// as their delegate), the transport, and per workload the payload sampler and the
    /// service-time factor (video frames). Called once, before `start`.
    func attach(plan: FlowPlan, stations: [FIFOStation], transport: Transport,
                payloads: [(sampler: Sampler, stream: RandomStream)?], workFactors: [Double]) {
        precondition(self.plan == nil && !plan.stages.isEmpty, "attach exactly once, with at least one stage")
        self.plan = plan
        tables = FlowTables(plan)
        transportOwner = transport
        self.transport = .passUnretained(transport)
        switch plan.shape {
        case .chain: shape = .chain
        case .fanOut(let rule): shape = .fanOut; joinRule = rule
        case .cascade: shape = .cascade
        }
        stageTable = .allocate(capacity: plan.stages.count)
        _ = stageTable.initialize(from: plan.stages.map { Unmanaged.passUnretained($0) })
        self.stations = stations.map { Unmanaged.passUnretained($0) }
        self.payloads = payloads
        self.workFactors = workFactors
        jobShift = plan.jobShift
        branchMask = (Int64(1) << Int64(jobShift)) - 1
        if shape == .fanOut {
            answersFused = Array(repeating: 0, count: plan.stages.count + 1)
            includedByBranch = Array(repeating: 0, count: plan.stages.count)
        }
        if case .cascade(let thresholds) = plan.shape { cascadeThresholds = thresholds }
        groupRouting = plan.groupRouting.map { .passUnretained($0) }
        plainArrivals = groupRouting == nil && shape == .chain && payloads.count == 1 && payloads[0] == nil && workFactors[0] == 1
            && plan.entryLegs[0].isInstant
    }

    /// Registers the flow for its own events and schedules the start of measurement (or
    /// starts it now when there is no warm-up).
    func start(engine: Engine) {
        controlID = engine.register(self)
        if let warmup = run.warmupDuration, warmup > 0 {
            engine.schedule(at: SimTimeConversion.nanoseconds(fromSeconds: warmup), target: controlID,
                            kind: Kind.beginMeasurement.rawValue)
        } else if run.warmupRequests == 0 {
            beginMeasurement(engine: engine)
        }
    }

    // MARK: Arrival

    /// A new request of workload `workload` appears at its source now.
    func requestArrived(workload: Int, engine: Engine) {
        let now = engine.now
        arrivedTotal += 1
        changeInFlight(by: 1, at: now)
        if inFlight > peakInFlight { peakInFlight = inFlight }
        let slot = requests.allocate(arrivingAt: now)
        if plainArrivals {
            stageTable[0]._withUnsafeGuaranteedRef { $0.arrive(Int64(slot), engine: engine) }
            return
        }
        requests[slot].workload = Int32(workload)
        requests[slot].workFactor = workFactors[workload]
        groupRouting?._withUnsafeGuaranteedRef { $0.arrived(slot: slot, workload: workload) }
        if accuracyEnabled { drawAnswers(slot: slot) }
        if let payload = payloads[workload] {
            requests[slot].payload = payload.sampler.sample(payload.stream)
        }
        let leg = tables!.entry[workload]
        send(leg, payload: requests[slot].payload, kind: shape == .fanOut ? .atDispatch : .atStation, id: Int64(slot),
             engine: engine)
    }

    /// Sends a message along `leg`; it arrives as event `kind` for `id`, or at once when the
    /// leg takes no time.
    private func send(_ leg: FlowTables.LegRef, payload: Double, kind: Kind, id: Int64, engine: Engine) {
        if leg._withUnsafeGuaranteedRef({ $0.isInstant }) {
            deliver(kind, id: id, engine: engine)
        } else {
            let delay = leg._withUnsafeGuaranteedRef { leg in
                transport!._withUnsafeGuaranteedRef { $0.delay(leg, payload: payload) }
            }
            engine.schedule(after: delay, target: controlID, kind: kind.rawValue, payload: id)
        }
    }

    func handle(_ event: Event, engine: Engine) {
        guard let kind = Kind(rawValue: event.kind) else { preconditionFailure("unknown flow event \(event.kind)") }
        deliver(kind, id: event.payload, engine: engine)
    }

    private func deliver(_ kind: Kind, id: Int64, engine: Engine) {
        switch kind {
        case .beginMeasurement: beginMeasurement(engine: engine)
        case .endMeasurement: engine.stop()
        case .atStation:
            let slot = Int(id >> Int64(jobShift))
            let stage = stageIndex(job: id, slot: slot)
            if let groupRouting, let member = groupRouting._withUnsafeGuaranteedRef({ $0.station(stage: stage, slot: slot) }) {
                member._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
            } else {
                stageTable[stage]._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
            }
        case .atDispatch: dispatch(slot: Int(id), engine: engine)
        case .atJoin: answerArrived(job: id, engine: engine)
        case .deadline: deadlinePassed(slot: Int(id), engine: engine)
        case .joinDone: joinDone(slot: Int(id), engine: engine)
        case .response: responseArrived(slot: Int(id), engine: engine)
        }
    }

    // MARK: Stations

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        let slot = Int(job >> Int64(jobShift))
        requests[slot].waited += waited
        let stage = stageIndex(job: job, slot: slot)
        let base = stageTable[stage]._withUnsafeGuaranteedRef { $0.drawServiceTime() }
        let factor = requests[slot].workFactor
        return factor == 1 ? base : SimTime((Double(base) * factor).rounded())
    }

    /// The stage a job is at: its branch in a fan-out, else its request's current stage.
    @inline(__always)
    private func stageIndex(job: Int64, slot: Int) -> Int {
        shape == .fanOut ? Int(job & branchMask) : Int(requests[slot].stage)
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        if shape == .chain {
            let slot = Int(job)
            let next = Int(requests[slot].stage) + 1
            if next < stageTable.count {
                requests[slot].stage = Int32(next)
                send(tables!.forward[next], payload: tables!.output[next - 1], kind: .atStation, id: job, engine: engine)
            } else {
                let tables = tables!
                send(tables.response[Int(requests[slot].workload) * tables.responseStride],
                     payload: tables.output[next - 1], kind: .response, id: job, engine: engine)
            }
            return
        }
        let tables = tables!
        switch shape {
        case .chain:
            break  // handled above
        case .fanOut:
            let branch = Int(job & branchMask)
            send(tables.answer[branch], payload: tables.output[branch] * tables.share[branch],
                 kind: .atJoin, id: job, engine: engine)
        case .cascade:
            let slot = Int(job)
            let stage = Int(requests[slot].stage)
            let answer = answers(of: slot)[stage]
            if stage + 1 < stageTable.count, CascadeRule.escalates(answer, threshold: cascadeThresholds[stage]) {
                requests[slot].stage = Int32(stage + 1)
                send(tables.forward[stage + 1], payload: requests[slot].payload, kind: .atStation, id: job,
                     engine: engine)
            } else {
                setCorrect(answer.isCorrect, slot: slot)
                send(tables.response[Int(requests[slot].workload) * tables.responseStride + stage],
                     payload: tables.output[stage], kind: .response, id: job, engine: engine)
            }
        }
    }

    // MARK: Fan-out and join

    private func dispatch(slot: Int, engine: Engine) {
        guard let rule = joinRule else { return }
        let branches = stageTable.count
        requests[slot].outstanding += Int32(branches)
        if let deadline = rule.deadline {
            requests[slot].outstanding += 1
            engine.schedule(after: deadline, target: controlID, kind: Kind.deadline.rawValue, payload: Int64(slot))
        }
        let payload = requests[slot].payload
        for branch in 0..<branches {
            let job = Int64(slot) << Int64(jobShift) | Int64(branch)
            send(tables!.forward[branch], payload: payload * tables!.share[branch], kind: .atStation, id: job,
                 engine: engine)
        }
    }

    private func answerArrived(job: Int64, engine: Engine) {
        let slot = Int(job >> Int64(jobShift))
        let branch = Int(job & branchMask)
        defer { release(slot) }
        if requests[slot].flags & (RequestFlags.joined | RequestFlags.failed) != 0 {
            if measuring { lateAnswers += 1 }
            return
        }
        requests[slot].answersIn += 1
        requests[slot].arrivedMask |= UInt64(1) << UInt64(branch)
        guard let rule = joinRule else { return }
        let answers = Int(requests[slot].answersIn)
        if answers == stageTable.count
            || (requests[slot].flags & RequestFlags.deadlinePassed != 0 && answers >= rule.quorum) {
            join(slot: slot, rule: rule, engine: engine)
        }
    }

    private func deadlinePassed(slot: Int, engine: Engine) {
        defer { release(slot) }
        guard requests[slot].flags & (RequestFlags.joined | RequestFlags.failed) == 0,
              let rule = joinRule else { return }
        requests[slot].flags |= RequestFlags.deadlinePassed
        if Int(requests[slot].answersIn) >= rule.quorum {
            join(slot: slot, rule: rule, engine: engine)
        } else if rule.failOnQuorumMiss {
            requests[slot].flags |= RequestFlags.failed
            fail(slot: slot, engine: engine)
        }
    }

    private func join(slot: Int, rule: FlowPlan.JoinRule, engine: Engine) {
        requests[slot].flags |= RequestFlags.joined
        if measuring {
            answersFused[Int(requests[slot].answersIn)] += 1
            let mask = requests[slot].arrivedMask
            for branch in includedByBranch.indices where mask & (UInt64(1) << UInt64(branch)) != 0 {
                includedByBranch[branch] += 1
            }
        }
        if let fusion {
            let arrived = BranchMask(rawValue: requests[slot].arrivedMask)
            let fused: FusedAnswer
            if let replay {
                let sample = Int(samples[slot])
                fused = replay.withVectors(of: sample) {
                    fusion.fuse(vectors: $0, label: replay.label(of: sample), arrived: arrived)
                }
            } else {
                fused = fusion.fuse(UnsafeBufferPointer(answers(of: slot)), arrived: arrived)
            }
            setCorrect(fused.correct, slot: slot)
            if let recallAt, fused.labelRank >= 0, fused.labelRank < recallAt {
                requests[slot].flags |= RequestFlags.recalled
            }
        }
        if let cost = rule.cost, let stream = rule.costStream {
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: cost.sample(stream)), target: controlID,
                            kind: Kind.joinDone.rawValue, payload: Int64(slot))
        } else {
            joinDone(slot: slot, engine: engine)
        }
    }

    private func joinDone(slot: Int, engine: Engine) {
        let tables = tables!
        send(tables.response[Int(requests[slot].workload) * tables.responseStride], payload: tables.largestOutput,
             kind: .response, id: Int64(slot), engine: engine)
    }

    // MARK: Completion

    private func responseArrived(slot: Int, engine: Engine) {
        let now = engine.now
        changeInFlight(by: -1, at: now)
        completedTotal += 1
        if measuring {
            metrics.record(latency: now - requests[slot].arrivalTime, wait: requests[slot].waited,
                           at: now - measurementStart)
            if accuracyEnabled { countAnswers(slot: slot) }
            if let target = run.requests, metrics.completed >= target {
                engine.stop()
            }
        } else {
            endWarmupIfDue(engine: engine)
        }
        release(slot)
    }

    /// Accuracy of a measured completion: its final answer, and each model alone.
    private func countAnswers(slot: Int) {
        if shape == .chain { setCorrect(answers(of: slot)[modelCount - 1].isCorrect, slot: slot) }
        if requests[slot].flags & RequestFlags.correct != 0 { correctAnswers += 1 }
        if requests[slot].flags & RequestFlags.recalled != 0 { recalledAnswers += 1 }
        let all = answers(of: slot)
        for m in 0..<modelCount where all[m].isCorrect { correctByModel[m] += 1 }
    }

    private func fail(slot: Int, engine: Engine) {
        changeInFlight(by: -1, at: engine.now)
        droppedTotal += 1
        if measuring {
            droppedMeasured += 1
            // Safety valve: a scenario that drops almost everything would never reach its
            // count of completions; stop after ten times as many drops (the summary warns).
            if let target = run.requests, droppedMeasured >= 10 * target { engine.stop() }
        } else {
            endWarmupIfDue(engine: engine)
        }
        release(slot)
    }

    /// Warm-up by requests ends when that many requests have left (completed or dropped).
    private func endWarmupIfDue(engine: Engine) {
        if run.warmupDuration == nil, completedTotal + droppedTotal >= run.warmupRequests {
            beginMeasurement(engine: engine)
        }
    }

    /// One thing that referred to `slot` is done; the slot is freed when none is left.
    private func release(_ slot: Int) {
        requests[slot].outstanding -= 1
        if requests[slot].outstanding == 0 { requests.release(slot) }
    }

    private func changeInFlight(by delta: Int, at now: SimTime) {
        inFlight += delta
        inSystem.update(at: SimTimeConversion.seconds(now), to: Double(inFlight))
    }

    // MARK: Measurement window

    private func beginMeasurement(engine: Engine) {
        let now = engine.now
        measuring = true
        measurementStart = now
        inSystem.reset(at: SimTimeConversion.seconds(now))
        for station in stations { station._withUnsafeGuaranteedRef { $0.resetStatistics(at: now) } }
        if let duration = run.duration, run.requests == nil {
            engine.schedule(at: now + SimTimeConversion.nanoseconds(fromSeconds: duration), target: controlID,
                            kind: Kind.endMeasurement.rawValue)
        }
    }

    /// Time-averaged number of requests in the system from the start of measurement to `now`.
    func meanInSystem(at now: SimTime) -> Double {
        measuring && now > measurementStart ? inSystem.mean(at: SimTimeConversion.seconds(now)) : 0
    }
}
