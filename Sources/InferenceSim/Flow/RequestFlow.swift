// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import ScenarioModel
import SimCore

/// The life of requests in one replication: arrival at the workload's source, the
/// deployment's stages (`FlowPlan`), network legs between them, joins with deadlines and
/// quorums, the answer's return to the source; and the measurement window (warm-up, then
/// `requests` completions or `duration` seconds).
///
/// Jobs at stations are identified by a `JobID` (`JobLayout`: slot and branch). A message that takes no
/// time (same node, in-process call) continues at once instead of becoming an event, so a
/// scenario without links costs exactly one arrival event plus one event per service.
///
/// Ownership keeps the hot path free of reference counting and of cycles: the engine owns
/// the stations, each station owns this flow as its delegate, and the flow reaches the
/// stations only through unretained references (`Simulation` keeps them alive).
final class RequestFlow: FIFOStationDelegate, BatchStationDelegate, ProcessorSharingStationDelegate, EventHandler {
    private let run: RunSettings
    private var requests = RequestTable()
    /// Fan-out only: per branch job, its parts of the latency breakdown.
    private var branchTimes = FanOutBranchTimes(filler: FanOutBranchTime())
    /// The broker of `via: queue` legs (nil without one), and its station (which owns the
    /// relay as its delegate; `Simulation` keeps it alive).
    private var brokerRelay: BrokerRelay?
    private var brokerStation: Unmanaged<FIFOStation>?
    /// Fan-out calls with a timeout (`protocols:`), per branch; a retried attempt is the job's
    /// `JobID.retried(attempt:)`.
    private var callPolicies: [CallPolicy?] = []
    private(set) var hasCallTimeouts = false
    /// Single, pipeline, cascade: per workload, the timeout of its entry call (nil: none). A
    /// retried entry call is a new attempt in a new slot; the abandoned one runs on.
    private var entryPolicies: [CallPolicy?] = []
    private var hasEntryTimeouts = false
    /// Whether any call has a timeout (`calls.*` in the summary).
    var countsCallTimeouts: Bool { hasCallTimeouts || hasEntryTimeouts }
    /// Measured window: attempts that timed out, and retries sent.
    private(set) var timedOutCalls = 0
    private(set) var retriedCalls = 0
    /// Keep-alive connection pools (`plan.connectionPools`, which the plan keeps alive); nil
    /// when no call is pooled.
    private var pools: Unmanaged<ConnectionPools>?
    /// Measured window: pooled calls, connections opened, waits for a stream.
    private(set) var connectionCounts = ConnectionCounts()
    var usesConnectionPools: Bool { pools != nil }
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
    private var batchStations: [Unmanaged<BatchStation>] = []
    /// Node groups' member choices (`plan.groupRouting`, which the plan keeps alive); nil
    /// without groups.
    private var groupRouting: Unmanaged<GroupRouting>?
    private var payloads: [(sampler: Sampler, stream: RandomStream)?] = []
    private var workFactors: [Double] = []
    /// One workload, no payload, no video factor, no network: arrivals go straight to stage 0.
    private var plainArrivals = false
    private var layout = JobLayout(shift: 0)
    private var controlID: HandlerID = -1
    /// Accuracy (when every placed model defines one): each request's answers, their fusion,
    /// and the accuracy counts.
    private(set) var answers = RequestAnswers()
    private var cascadeThresholds: [Double] = []

    /// The measurement window, totals, statistics, breakdown and trace.
    private(set) var accounting: FlowAccounting
    /// Whether the measurement window has begun (warm-up is over).
    var measuring: Bool {
        @inline(__always) get { accounting.measuring }
    }
    /// Request records held: requests in flight and abandoned attempts not yet released.
    var requestRecords: Int { requests.live }
    /// Answers that reached a join node after it had joined (measured window).
    private(set) var lateAnswers = 0
    /// Measured fused requests by the number of answers fused (index = answers).
    private(set) var answersFused: [Int] = []
    /// Measured fused requests whose fusion included branch b's answer (index = b).
    private(set) var includedByBranch: [Int] = []
    /// Cascade only: measured requests answered by each stage.
    private(set) var answeredByStage: [Int] = []

    private enum Shape { case chain, fanOut, cascade }

    private enum Kind: Int32 {
        case beginMeasurement, endMeasurement, atStation, atDispatch, atJoin, deadline, joinDone, response
        /// At the broker's station (`BrokerRelay`); a duplicate delivery reaches its stage
        /// (`JobID.duplicate(stage:)`).
        case atBroker, duplicate
        /// A call attempt's timeout, and its retry (payload: the attempt's `JobID`).
        case callTimeout, retry
        /// Single, pipeline, cascade: an entry call's timeout, and its retry (payload: the slot
        /// of the attempt given up on).
        case entryTimeout, entryRetry
    }

    init(run: RunSettings, metrics: consuming MeasurementCollector) {
        self.run = run
        accounting = FlowAccounting(run: run, metrics: metrics)
    }

    deinit {
        stageTable.deallocate()
        tables?.deallocate()
    }

    /// Turns on accuracy: answers drawn per request from `stream`, fused (fan-out) with `fusion`.
    func enableAccuracy(_ model: SyntheticAccuracy, fusion: AnswerFusion?, stream: RandomStream) {
        answers.enable(model, fusion: fusion, stream: stream)
        plainArrivals = false
    }

    /// Turns on accuracy from prediction logs: request n carries sample n mod N of `replay`.
    func enableAccuracy(replaying replay: PredictionReplay, fusion: AnswerFusion?, recallAt: Int?) {
        answers.enable(replaying: replay, fusion: fusion, recallAt: recallAt)
        plainArrivals = false
    }

    /// Routes `via: queue` legs through `station`, the broker's (created with `relay` as its
    /// delegate).
    func attachBroker(_ relay: BrokerRelay, station: FIFOStation) {
        brokerRelay = relay
        brokerStation = .passUnretained(station)
        plainArrivals = false
    }

    private func setCorrect(_ correct: Bool, slot: Int) {
        if correct { requests[slot].flags.formUnion(.correct) } else { requests[slot].flags.subtract(.correct) }
    }

    /// Hands the flow its compiled deployment, the stations it uses (created with this flow
    /// as their delegate, batching ones included), the transport, and per workload the payload
    /// sampler and the service-time factor (video frames). Called once, before `start`.
    func attach(plan: FlowPlan, stations: [FIFOStation], batchStations: [BatchStation] = [], transport: Transport,
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
        self.batchStations = batchStations.map { Unmanaged.passUnretained($0) }
        self.payloads = payloads
        self.workFactors = workFactors
        layout = JobLayout(shift: plan.jobShift)
        if shape == .fanOut {
            callPolicies = plan.forwardLegs.map(\.callPolicy)
            hasCallTimeouts = callPolicies.contains { $0 != nil }
            answersFused = Array(repeating: 0, count: plan.stages.count + 1)
            includedByBranch = Array(repeating: 0, count: plan.stages.count)
        }
        if case .cascade(let thresholds) = plan.shape {
            cascadeThresholds = thresholds
            answeredByStage = Array(repeating: 0, count: plan.stages.count)
        }
        if shape != .fanOut {
            entryPolicies = plan.entryLegs.map(\.callPolicy)
            hasEntryTimeouts = entryPolicies.contains { $0 != nil }
        }
        groupRouting = plan.groupRouting.map { .passUnretained($0) }
        pools = plan.connectionPools.map { .passUnretained($0) }
        plainArrivals = groupRouting == nil && shape == .chain && payloads.count == 1 && payloads[0] == nil && workFactors[0] == 1
            && plan.entryLegs[0].isInstant
    }

    /// Registers the flow for its own events and schedules the start of measurement (or
    /// starts it now when there is no warm-up).
    func start(engine: Engine) {
        controlID = engine.register(self)
        transportOwner?.sharing?.start(engine: engine)
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
        accounting.arrived(at: now)
        let slot = requests.allocate(arrivingAt: now)
        if plainArrivals {
            stageTable[0]._withUnsafeGuaranteedRef { $0.arrive(Int64(slot), engine: engine) }
            return
        }
        requests[slot].workload = Int32(workload)
        requests[slot].workFactor = workFactors[workload]
        groupRouting?._withUnsafeGuaranteedRef { $0.arrived(slot: slot, workload: workload) }
        if answers.isEnabled { answers.draw(slot: slot) }
        if let payload = payloads[workload] {
            requests[slot].payload = payload.sampler.sample(payload.stream)
        }
        if hasEntryTimeouts, let policy = entryPolicies[workload] { startEntryTimer(slot: slot, policy, engine: engine) }
        callEntry(slot: slot, workload: workload, engine: engine)
    }

    /// Sends request `slot`'s entry call: to the dispatch node (fan-out) or the first stage,
    /// through its pool when it has one.
    private func callEntry(slot: Int, workload: Int, engine: Engine) {
        if let pools, pools._withUnsafeGuaranteedRef({ $0.entryPool[workload] >= 0 }) {
            callOverPool(entryPool(slot: slot, workload: workload), id: Int64(slot), engine: engine)
            return
        }
        let leg = tables!.entry[workload]
        send(leg, payload: requests[slot].payload, kind: shape == .fanOut ? .atDispatch : .atStation, id: Int64(slot),
             engine: engine)
    }

    /// Sends a message along `leg`; it arrives as event `kind` for `id`, or at once when the
    /// leg takes no time. A request opens its connection first (the protocol's set-up round
    /// trips) unless the leg keeps connections alive; a pooled call says which (`opensConnection`).
    private func send(_ leg: FlowTables.LegRef, payload: Double, kind: Kind, id: Int64, engine: Engine,
                      opensConnection: Bool? = nil) {
        if leg._withUnsafeGuaranteedRef({ $0.isInstant }) {
            deliver(kind, id: id, engine: engine)
        } else if leg._withUnsafeGuaranteedRef({ $0.isBrokered }) {
            sendViaBroker(leg.takeUnretainedValue(), payload: payload, kind: kind, id: id, engine: engine)
        } else if leg._withUnsafeGuaranteedRef({ $0.sharedPath >= 0 }) {
            let time = leg._withUnsafeGuaranteedRef { leg in
                let reuses = opensConnection.map { !$0 } ?? leg.keepsAlive
                return transport!._withUnsafeGuaranteedRef {
                    $0.transfer(leg, payload: payload, target: controlID, kind: kind.rawValue, id: id, engine: engine,
                                reusesConnection: reuses)
                }
            }
            charge(time, kind: kind, id: id)
        } else {
            let time = leg._withUnsafeGuaranteedRef { leg in
                let reuses = opensConnection.map { !$0 } ?? leg.keepsAlive
                return transport!._withUnsafeGuaranteedRef { $0.delay(leg, payload: payload, reusesConnection: reuses) }
            }
            charge(time, kind: kind, id: id)
            engine.schedule(after: time.total, target: controlID, kind: kind.rawValue, payload: id)
        }
    }

    /// The first half of a `via: queue` leg: to the broker, remembering the rest.
    private func sendViaBroker(_ leg: Transport.Leg, payload: Double, kind: Kind, id: Int64, engine: Engine) {
        guard let via = leg.viaBroker, let brokerRelay else { preconditionFailure("a queue leg without a broker") }
        brokerRelay.publish(job: JobID(rawValue: id), .init(consume: .passUnretained(via.consume), kind: kind.rawValue, payload: payload))
        send(.passUnretained(via.publish), payload: payload, kind: .atBroker, id: id, engine: engine)
    }

    /// Books a leg's codec time to the breakdown of the job that travels it.
    @inline(__always)
    private func charge(_ time: Transport.LegTime, kind: Kind, id: Int64) {
        guard time.serialization != 0, id >= 0 else { return }  // not for duplicates
        charge(serialization: time.serialization, broker: 0, kind: kind, id: id)
    }

    /// Books breakdown time to its owner: a fan-out branch's own legs to the branch, every
    /// other leg to the request; a message at the broker to the leg it travels.
    private func charge(serialization: SimTime, broker brokerTime: SimTime, kind: Kind, id: Int64) {
        let index = JobID(rawValue: id).firstAttempt.index
        var owner = kind
        if kind == .atBroker, let brokerRelay, let final = Kind(rawValue: brokerRelay.transit(of: JobID(rawValue: id)).kind) {
            owner = final
        }
        if shape == .fanOut && (owner == .atStation || owner == .atJoin) {
            if hasCallTimeouts {  // not for attempts the caller gave up on
                if branchTimes[index].attempt != JobID(rawValue: id).attempt { return }
            }
            branchTimes[index].serialization += serialization
            branchTimes[index].broker += brokerTime
        } else {
            requests[index].serialization += serialization
            requests[index].broker += brokerTime
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
            let job = JobID(rawValue: id)
            let slot = layout.slot(of: job.firstAttempt)
            let stage = stageIndex(job: job, slot: slot)
            if let groupRouting, let member = groupRouting._withUnsafeGuaranteedRef({ $0.station(stage: stage, slot: slot) }) {
                member._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
            } else {
                stageTable[stage]._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
            }
        case .atDispatch: dispatch(slot: Int(id), engine: engine)
        case .atJoin: answerArrived(JobID(rawValue: id), engine: engine)
        case .deadline: deadlinePassed(slot: Int(id), engine: engine)
        case .joinDone: joinDone(slot: Int(id), engine: engine)
        case .response: responseArrived(slot: Int(id), engine: engine)
        case .atBroker: brokerStation!._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
        case .duplicate: stageTable[JobID(rawValue: id).duplicateStage]._withUnsafeGuaranteedRef { $0.arrive(id, engine: engine) }
        case .callTimeout: callTimedOut(JobID(rawValue: id), engine: engine)
        case .retry: retryCall(JobID(rawValue: id), engine: engine)
        case .entryTimeout: entryTimedOut(slot: Int(id), engine: engine)
        case .entryRetry: retryEntry(abandoned: Int(id), engine: engine)
        }
    }

    // MARK: Stations

    func serviceDuration(of job: Int64, waited: SimTime, at station: FIFOStation) -> SimTime {
        serviceDuration(of: job, waited: waited)
    }

    /// At a processor-sharing node the duration is the job's work (its time alone on a core).
    func serviceDuration(of job: Int64, waited: SimTime, at station: ProcessorSharingStation) -> SimTime {
        serviceDuration(of: job, waited: waited)
    }

    /// The slowdown from sharing the cores is service time too (breakdown `service`), booked
    /// like the work (not for duplicates, nor for attempts the caller gave up on).
    func serviceCompleted(_ job: Int64, slowdown: SimTime, at station: ProcessorSharingStation, engine: Engine) {
        let id = JobID(rawValue: job), plain = id.firstAttempt
        if shape == .fanOut {
            if !id.isDuplicate, !hasCallTimeouts || branchTimes[plain.index].attempt == id.attempt {
                branchTimes[plain.index].service += slowdown
            }
        } else if id.isFirstAttempt {
            requests[layout.slot(of: id)].service += slowdown
        }
        leaveStation(job, engine: engine)
    }

    /// A job starts service after waiting `waited`: its drawn service time, booked to its
    /// request's (or branch's) breakdown.
    @inline(__always)
    private func serviceDuration(of job: Int64, waited: SimTime) -> SimTime {
        let id = JobID(rawValue: job)
        if !id.isFirstAttempt {
            if id.isDuplicate {  // a duplicate delivery: served like any job, its answer discarded
                return stageTable[id.duplicateStage]._withUnsafeGuaranteedRef { $0.drawServiceTime() }
            }
            return retriedServiceDuration(of: id, waited: waited)
        }
        let slot = layout.slot(of: id)
        requests[slot].waited += waited
        let stage = stageIndex(job: id, slot: slot)
        let base = stageTable[stage]._withUnsafeGuaranteedRef { $0.drawServiceTime() }
        let factor = requests[slot].workFactor
        let duration = factor == 1 ? base : SimTime((Double(base) * factor).rounded())
        if shape == .fanOut {
            if !hasCallTimeouts || branchTimes[id.index].attempt == 0 {
                branchTimes[id.index].queueing += waited
                branchTimes[id.index].service += duration
            }
        } else {
            requests[slot].service += duration
        }
        return duration
    }

    /// The stage a job is at: its branch in a fan-out, else its request's current stage.
    @inline(__always)
    private func stageIndex(job: JobID, slot: Int) -> Int {
        shape == .fanOut ? layout.branch(of: job) : Int(requests[slot].stage)
    }

    /// A batch starts at a batching node: each member's wait is counted, and the batch lasts
    /// t₁ · (1 + α(b − 1)) times the largest work factor among its members (video frames).
    /// Each member's latency breakdown gets its wait as queueing and the batch as service.
    func batchDuration(of jobs: UnsafeBufferPointer<Int64>, waited: UnsafeBufferPointer<SimTime>, jobClass: Int,
                       at station: BatchStation) -> SimTime {
        var factor = 1.0
        var stage = -1
        for index in 0..<jobs.count {
            let job = JobID(rawValue: jobs[index])
            if job.isDuplicate {  // a duplicate delivery: served like any job, its answer discarded
                if stage < 0 { stage = job.duplicateStage }
                continue
            }
            let plain = job.firstAttempt
            let slot = layout.slot(of: plain)
            requests[slot].waited += waited[index]
            factor = max(factor, requests[slot].workFactor)
            if stage < 0 { stage = stageIndex(job: plain, slot: slot) }
        }
        let base = stageTable[stage]._withUnsafeGuaranteedRef { $0.drawServiceTime(batchOf: jobs.count) }
        let duration = factor == 1 ? base : SimTime((Double(base) * factor).rounded())
        for index in 0..<jobs.count where jobs[index] >= 0 {
            let job = JobID(rawValue: jobs[index]), plain = job.firstAttempt
            if shape == .fanOut {
                if !hasCallTimeouts || branchTimes[plain.index].attempt == job.attempt {
                    branchTimes[plain.index].queueing += waited[index]
                    branchTimes[plain.index].service += duration
                }
            } else {
                requests[layout.slot(of: plain)].service += duration
            }
        }
        return duration
    }

    func serviceCompleted(_ job: Int64, at station: BatchStation, engine: Engine) {
        leaveStation(job, engine: engine)
    }

    /// A node with no memory left turned `job` away: its request is dropped (a fan-out
    /// request fails as a whole, unless it has joined or failed already).
    func jobRejected(_ job: Int64, at station: BatchStation, engine: Engine) {
        let id = JobID(rawValue: job)
        if id.isDuplicate { return }  // a duplicate delivery turned away: no request waits for it
        let slot = layout.slot(of: id.firstAttempt)
        if shape == .fanOut, !requests[slot].flags.isDisjoint(with: .settled) {
            release(slot)
            return
        }
        requests[slot].flags.formUnion(.failed)
        fail(slot: slot, engine: engine)
    }

    func serviceCompleted(_ job: Int64, at station: FIFOStation, engine: Engine) {
        leaveStation(job, engine: engine)
    }

    /// `job` is done at its station: it goes on to its next stage, its join, or its source. A
    /// retried attempt answers like the first; a duplicate delivery is dropped.
    @inline(__always)
    private func leaveStation(_ job: Int64, engine: Engine) {
        if !JobID(rawValue: job).isFirstAttempt {
            if !JobID(rawValue: job).isDuplicate {
                let branch = layout.branch(of: JobID(rawValue: job))
                send(tables!.answer[branch], payload: tables!.output[branch] * tables!.share[branch], kind: .atJoin,
                     id: job, engine: engine)
            }
            return
        }
        if shape == .chain {
            let slot = Int(job)  // a chain's or cascade's job id is its slot (`JobID`)
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
            let branch = layout.branch(of: JobID(rawValue: job))
            send(tables.answer[branch], payload: tables.output[branch] * tables.share[branch],
                 kind: .atJoin, id: job, engine: engine)
        case .cascade:
            let slot = Int(job)  // a chain's or cascade's job id is its slot (`JobID`)
            let stage = Int(requests[slot].stage)
            let answer = answers.of(slot)[stage]
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

    // MARK: Broker (what `BrokerRelay` asks of the flow)

    /// Books `time` at the broker to the breakdown of the job whose message it served.
    func chargeBroker(_ time: SimTime, job: JobID) {
        charge(serialization: 0, broker: time, kind: .atBroker, id: job.rawValue)
    }

    /// The stage a message handed on to event `kind` is for, −1 when its consumer runs no model.
    func stageConsuming(_ job: JobID, kind: Int32) -> Int32 {
        Kind(rawValue: kind) == .atStation ? Int32(stageIndex(job: job, slot: layout.slot(of: job.firstAttempt))) : -1
    }

    /// Sends a message the broker handed on along `leg`: it ends as event `kind` (a raw
    /// `Kind` the flow gave at `publish`), or, for a duplicate (`kind` nil), at its stage.
    func relay(_ job: JobID, over leg: Unmanaged<Transport.Leg>, payload: Double, kind: Int32?, engine: Engine) {
        guard let kind else {
            send(leg, payload: payload, kind: .duplicate, id: job.rawValue, engine: engine)
            return
        }
        guard let kind = Kind(rawValue: kind) else { preconditionFailure("unknown flow event \(kind)") }
        send(leg, payload: payload, kind: kind, id: job.rawValue, engine: engine)
    }

    // MARK: Timeouts and retries (fan-out calls)

    /// Starts the timeout of call attempt `attempt` (a branch job's `JobID`, any attempt).
    private func startTimer(_ attempt: JobID, _ policy: CallPolicy, engine: Engine) {
        requests[layout.slot(of: attempt.firstAttempt)].outstanding += 1
        engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.timeout), target: controlID,
                        kind: Kind.callTimeout.rawValue, payload: attempt.rawValue)
    }

    /// The caller gives up on an attempt without answer: it retries after the backoff, or,
    /// with no retry left, drops the request.
    private func callTimedOut(_ timedOut: JobID, engine: Engine) {
        let job = timedOut.firstAttempt
        let attempt = timedOut.attempt
        let slot = layout.slot(of: job)
        defer { release(slot) }
        guard requests[slot].flags.isDisjoint(with: .settled),
              !branchTimes[job.index].answered, branchTimes[job.index].attempt == attempt,
              let policy = callPolicies[layout.branch(of: job)] else { return }
        if measuring { timedOutCalls += 1 }
        let connection = branchTimes[job.index].connection
        if connection >= 0 {
            branchTimes[job.index].connection = -1
            releaseConnection(connection, abandoned: true, engine: engine)
        }
        if Int(attempt) < policy.retries {
            branchTimes[job.index].attempt = attempt + 1
            requests[slot].outstanding += 1
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.backoff(after: Int(attempt))),
                            target: controlID, kind: Kind.retry.rawValue,
                            payload: job.retried(attempt: attempt + 1).rawValue)
        } else {
            requests[slot].flags.formUnion(.failed)
            fail(slot: slot, engine: engine)
        }
    }

    /// Sends the call again as attempt `attempt`, with its own timeout.
    private func retryCall(_ attempt: JobID, engine: Engine) {
        let job = attempt.firstAttempt
        let slot = layout.slot(of: job)
        let branch = layout.branch(of: job)
        defer { release(slot) }
        guard requests[slot].flags.isDisjoint(with: .settled),
              let policy = callPolicies[branch] else { return }
        if measuring { retriedCalls += 1 }
        // Breakdown: from dispatch (held in `fusionWait` until the join) to now is retry time;
        // the new attempt's own parts start from zero.
        branchTimes[job.index].retries = engine.now - requests[slot].fusionWait
        branchTimes[job.index].queueing = 0
        branchTimes[job.index].service = 0
        branchTimes[job.index].serialization = 0
        branchTimes[job.index].broker = 0
        requests[slot].outstanding += 1
        callBranch(attempt, engine: engine)
        startTimer(attempt, policy, engine: engine)
    }

    /// Service time of a retried attempt (its queueing and service count for the breakdown
    /// only while the caller still waits for it).
    private func retriedServiceDuration(of attempt: JobID, waited: SimTime) -> SimTime {
        let job = attempt.firstAttempt
        let slot = layout.slot(of: job)
        requests[slot].waited += waited
        let base = stageTable[layout.branch(of: job)]._withUnsafeGuaranteedRef { $0.drawServiceTime() }
        let factor = requests[slot].workFactor
        let duration = factor == 1 ? base : SimTime((Double(base) * factor).rounded())
        if branchTimes[job.index].attempt == attempt.attempt {
            branchTimes[job.index].queueing += waited
            branchTimes[job.index].service += duration
        }
        return duration
    }

    // MARK: Timeouts and retries (entry calls of single, pipeline and cascade deployments)

    private func startEntryTimer(slot: Int, _ policy: CallPolicy, engine: Engine) {
        requests[slot].outstanding += 1
        engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.timeout), target: controlID,
                        kind: Kind.entryTimeout.rawValue, payload: Int64(slot))
    }

    /// The source gives up on the attempt in `slot` (its answer is not back): the attempt runs
    /// on, abandoned; the call is sent again after the backoff, or, with no retry left, the
    /// request is dropped.
    private func entryTimedOut(slot: Int, engine: Engine) {
        defer { release(slot) }
        guard !requests[slot].flags.contains(.finished),
              let policy = entryPolicies[Int(requests[slot].workload)] else { return }
        if measuring { timedOutCalls += 1 }
        requests[slot].flags.formUnion(.abandoned)
        let connection = requests[slot].connection
        if connection >= 0 {
            requests[slot].connection = -1
            releaseConnection(connection, abandoned: true, engine: engine)
        }
        let attempt = Int(requests[slot].attempt)
        if attempt < policy.retries {
            requests[slot].outstanding += 1
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: policy.backoff(after: attempt)),
                            target: controlID, kind: Kind.entryRetry.rawValue, payload: Int64(slot))
        } else {
            recordDrop(slot: slot, engine: engine)
        }
    }

    /// Sends the entry call again as a new attempt, in a new slot that carries the request
    /// (its arrival time, workload, payload, source member and answers); the time since arrival
    /// is `retries` in its latency breakdown.
    private func retryEntry(abandoned old: Int, engine: Engine) {
        defer { release(old) }
        if measuring { retriedCalls += 1 }
        let slot = requests.allocate(arrivingAt: requests[old].arrivalTime)
        let workload = Int(requests[old].workload)
        requests[slot].workload = requests[old].workload
        requests[slot].workFactor = requests[old].workFactor
        requests[slot].payload = requests[old].payload
        requests[slot].attempt = requests[old].attempt + 1
        requests[slot].retries = engine.now - requests[old].arrivalTime
        groupRouting?._withUnsafeGuaranteedRef { $0.copySourceMember(from: old, to: slot) }
        if answers.isEnabled { answers.carry(from: old, to: slot) }
        startEntryTimer(slot: slot, entryPolicies[workload]!, engine: engine)
        callEntry(slot: slot, workload: workload, engine: engine)
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
        branchTimes.reserve(upTo: layout.job(slot: slot, branch: branches - 1).index)
        // Until the join, `fusionWait` holds the dispatch time: the start of the wait at the
        // join when it fuses at the deadline with no answer (quorum 0).
        requests[slot].fusionWait = engine.now
        for branch in 0..<branches {
            let job = layout.job(slot: slot, branch: branch)
            branchTimes[job.index] = .init()
            if hasCallTimeouts, let policy = callPolicies[branch] { startTimer(job, policy, engine: engine) }
            callBranch(job, engine: engine)
        }
    }

    /// Sends attempt `attemptJob` of a branch call, through the branch's pool when it has one.
    private func callBranch(_ attempt: JobID, engine: Engine) {
        let branch = layout.branch(of: attempt)
        if let pools, case let pool = pools._withUnsafeGuaranteedRef({ $0.branchPool[branch] }), pool >= 0 {
            callOverPool(Int(pool), id: attempt.rawValue, engine: engine)
        } else {
            let slot = layout.slot(of: attempt.firstAttempt)
            send(tables!.forward[branch], payload: requests[slot].payload * tables!.share[branch], kind: .atStation,
                 id: attempt.rawValue, engine: engine)
        }
    }

    private func answerArrived(_ attempt: JobID, engine: Engine) {
        let job = attempt.firstAttempt
        let slot = layout.slot(of: job)
        let branch = layout.branch(of: job)
        defer { release(slot) }
        if hasCallTimeouts {
            // The answer of an attempt the caller gave up on is discarded.
            if branchTimes[job.index].attempt != attempt.attempt { return }
            branchTimes[job.index].answered = true
        }
        if pools != nil, case let connection = branchTimes[job.index].connection, connection >= 0 {
            branchTimes[job.index].connection = -1
            releaseConnection(connection, abandoned: false, engine: engine)
        }
        if !requests[slot].flags.isDisjoint(with: .settled) {
            if measuring { lateAnswers += 1 }
            return
        }
        requests[slot].answersIn += 1
        requests[slot].arrivedMask |= UInt64(1) << UInt64(branch)
        requests[slot].critical = Int8(branch)
        branchTimes[job.index].answeredAt = engine.now
        guard let rule = joinRule else { return }
        let answersIn = Int(requests[slot].answersIn)
        if answersIn == stageTable.count
            || (requests[slot].flags.contains(.deadlinePassed) && answersIn >= rule.quorum) {
            join(slot: slot, rule: rule, engine: engine)
        }
    }

    private func deadlinePassed(slot: Int, engine: Engine) {
        defer { release(slot) }
        guard requests[slot].flags.isDisjoint(with: .settled),
              let rule = joinRule else { return }
        requests[slot].flags.formUnion(.deadlinePassed)
        if Int(requests[slot].answersIn) >= rule.quorum {
            join(slot: slot, rule: rule, engine: engine)
        } else if rule.failOnQuorumMiss {
            requests[slot].flags.formUnion(.failed)
            fail(slot: slot, engine: engine)
        }
    }

    private func join(slot: Int, rule: FlowPlan.JoinRule, engine: Engine) {
        requests[slot].flags.formUnion(.joined)
        if measuring {
            answersFused[Int(requests[slot].answersIn)] += 1
            let mask = requests[slot].arrivedMask
            for branch in includedByBranch.indices where mask & (UInt64(1) << UInt64(branch)) != 0 {
                includedByBranch[branch] += 1
            }
        }
        if let fused = answers.fuse(slot: slot, arrived: BranchMask(rawValue: requests[slot].arrivedMask)) {
            setCorrect(fused.correct, slot: slot)
            if fused.recalled { requests[slot].flags.formUnion(.recalled) }
        }
        if let cost = rule.cost, let stream = rule.costStream {
            engine.schedule(after: SimTimeConversion.nanoseconds(fromSeconds: cost.sample(stream)), target: controlID,
                            kind: Kind.joinDone.rawValue, payload: Int64(slot))
        } else {
            joinDone(slot: slot, engine: engine)
        }
    }

    private func joinDone(slot: Int, engine: Engine) {
        let critical = Int(requests[slot].critical)
        let waitStart = critical >= 0 ? branchTimes[layout.job(slot: slot, branch: critical).index].answeredAt : requests[slot].fusionWait
        requests[slot].fusionWait = engine.now - waitStart
        let tables = tables!
        send(tables.response[Int(requests[slot].workload) * tables.responseStride], payload: tables.largestOutput,
             kind: .response, id: Int64(slot), engine: engine)
    }

    // MARK: Connection pools

    /// The pool of workload `workload`'s entry call for the request in `slot` (per source
    /// member when the source is a node group).
    private func entryPool(slot: Int, workload: Int) -> Int {
        pools!._withUnsafeGuaranteedRef { pools in
            let first = Int(pools.entryPool[workload])
            guard pools.entryPerMember[workload], let groupRouting else { return first }
            return first + groupRouting._withUnsafeGuaranteedRef { $0.sourceMember(slot: slot) }
        }
    }

    /// A call over pool `pool`: the entry call of request `id` (chain, cascade) or branch
    /// attempt `id` (fan-out). It goes at once when a stream is free, else it waits.
    private func callOverPool(_ pool: Int, id: Int64, engine: Engine) {
        let now = engine.now
        if measuring { connectionCounts.calls += 1 }
        guard let grant = pools!._withUnsafeGuaranteedRef({ $0.acquire(pool: pool, now: now) }) else {
            pools!._withUnsafeGuaranteedRef { $0.wait(pool: pool, id: id, now: now) }
            return
        }
        startPooledCall(id: id, grant: grant, engine: engine)
    }

    /// Call `id` got a stream (`grant`): it remembers the connection and goes.
    private func startPooledCall(id: Int64, grant: ConnectionPools.Grant, engine: Engine) {
        if measuring && grant.opens { connectionCounts.opened += 1 }
        let tables = tables!
        if shape == .fanOut {
            let job = JobID(rawValue: id).firstAttempt
            let branch = layout.branch(of: job)
            let slot = layout.slot(of: job)
            branchTimes[job.index].connection = grant.connection
            send(tables.forward[branch], payload: requests[slot].payload * tables.share[branch], kind: .atStation, id: id,
                 engine: engine, opensConnection: grant.opens)
        } else {
            let slot = Int(id)
            requests[slot].connection = grant.connection
            send(tables.entry[Int(requests[slot].workload)], payload: requests[slot].payload, kind: .atStation, id: id,
                 engine: engine, opensConnection: grant.opens)
        }
    }

    /// Gives back the stream of a finished call; the pool's longest waiting call that is still
    /// wanted takes it. A branch attempt nobody waits for any more (timed out, or its request
    /// joined or failed) leaves the queue without a stream.
    private func releaseConnection(_ connection: Int32, abandoned: Bool, engine: Engine) {
        let now = engine.now
        let pools = pools!
        let pool = pools._withUnsafeGuaranteedRef { $0.release(connection: connection, now: now, abandoned: abandoned) }
        while let waiter = pools._withUnsafeGuaranteedRef({ $0.nextWaiter(pool: pool) }) {
            let attempt = JobID(rawValue: waiter.id), job = attempt.firstAttempt
            let slot = layout.slot(of: job)
            if shape == .fanOut {
                if !requests[slot].flags.isDisjoint(with: .settled)
                    || (hasCallTimeouts && branchTimes[job.index].attempt != attempt.attempt) {
                    release(slot)  // the attempt's answer will never come
                    continue
                }
                branchTimes[job.index].queueing += now - waiter.since
            } else if requests[slot].flags.contains(.abandoned) {
                release(slot)  // given up on before it was sent
                continue
            }
            requests[slot].waited += now - waiter.since
            if measuring {
                connectionCounts.waited += 1
                connectionCounts.waitSeconds += SimTimeConversion.seconds(now - waiter.since)
            }
            guard let grant = pools._withUnsafeGuaranteedRef({ $0.freeStream(pool: pool, now: now) }) else {
                preconditionFailure("a pool offered a waiter without a free stream")
            }
            startPooledCall(id: waiter.id, grant: grant, engine: engine)
            return
        }
    }

    /// The entry call of `slot` is over (answer back, or request dropped): its stream is free.
    private func releaseEntryConnection(slot: Int, engine: Engine) {
        let connection = requests[slot].connection
        guard connection >= 0 else { return }
        requests[slot].connection = -1
        releaseConnection(connection, abandoned: false, engine: engine)
    }

    // MARK: Completion

    private func responseArrived(slot: Int, engine: Engine) {
        let now = engine.now
        if pools != nil { releaseEntryConnection(slot: slot, engine: engine) }
        if hasEntryTimeouts {
            if requests[slot].flags.contains(.abandoned) {  // the source gave up on it
                release(slot)
                return
            }
            requests[slot].flags.formUnion(.finished)
        }
        accounting.completed(at: now)
        if accounting.measuring {
            let latency = now - requests[slot].arrivalTime
            accounting.recordMeasured(latency: latency, waited: requests[slot].waited,
                                      parts: components(of: slot, latency: latency),
                                      workload: Int(requests[slot].workload), arrival: requests[slot].arrivalTime, at: now)
            if answers.isEnabled { countAnswers(slot: slot) }
            if shape == .cascade { answeredByStage[Int(requests[slot].stage)] += 1 }
            if accounting.reachedRequestCount { engine.stop() }
        } else {
            endWarmupIfDue(engine: engine)
        }
        release(slot)
    }

    /// The latency breakdown of a completed request: along its path, for a fan-out along its
    /// critical branch; the network is the rest of its latency (so the parts add up exactly).
    @inline(__always)
    private func components(of slot: Int, latency: SimTime) -> LatencyBreakdown.Components {
        // Field by field: copying the whole request record would cost more than the sums.
        var parts = LatencyBreakdown.Components()
        parts.serialization = requests[slot].serialization
        parts.broker = requests[slot].broker
        if shape == .fanOut {
            parts.fusionWait = requests[slot].fusionWait
            let critical = requests[slot].critical
            if critical >= 0 {
                let branch = branchTimes[layout.job(slot: slot, branch: Int(critical)).index]
                parts.queueing = branch.queueing
                parts.service = branch.service
                parts.serialization += branch.serialization
                parts.broker += branch.broker
                parts.retries = branch.retries
            }
        } else {
            parts.queueing = requests[slot].waited
            parts.service = requests[slot].service
            parts.retries = requests[slot].retries
        }
        parts.network = latency - (parts.serialization + parts.broker + parts.queueing + parts.service + parts.fusionWait
                                   + parts.retries)
        return parts
    }

    /// Sends every measured request that leaves, as a row, to `sink`.
    func enableTrace(_ sink: any RequestTraceSink, replication: Int) {
        accounting.enableTrace(sink, replication: replication)
    }

    /// Accuracy of a measured completion: its final answer, and each model alone.
    private func countAnswers(slot: Int) {
        if shape == .chain { setCorrect(answers.lastAnswer(of: slot).isCorrect, slot: slot) }
        answers.count(slot: slot, flags: requests[slot].flags)
    }

    private func fail(slot: Int, engine: Engine) {
        if pools != nil { releaseEntryConnection(slot: slot, engine: engine) }
        if hasEntryTimeouts {
            if requests[slot].flags.contains(.abandoned) {  // an abandoned attempt: no request lost
                release(slot)
                return
            }
            requests[slot].flags.formUnion(.finished)
        }
        recordDrop(slot: slot, engine: engine)
        release(slot)
    }

    /// Request `slot` leaves without an answer: counted as dropped.
    private func recordDrop(slot: Int, engine: Engine) {
        accounting.dropped(workload: Int(requests[slot].workload), arrival: requests[slot].arrivalTime, at: engine.now)
        if accounting.measuring {
            if accounting.reachedDropLimit { engine.stop() }
        } else {
            endWarmupIfDue(engine: engine)
        }
    }

    /// Warm-up by requests ends when that many requests have left (completed or dropped).
    private func endWarmupIfDue(engine: Engine) {
        if accounting.warmupRequestsLeft {
            beginMeasurement(engine: engine)
        }
    }

    /// One thing that referred to `slot` is done; the slot is freed when none is left.
    @inline(__always)
    private func release(_ slot: Int) {
        requests[slot].outstanding -= 1
        if requests[slot].outstanding == 0 { requests.release(slot) }
    }

    // MARK: Measurement window

    private func beginMeasurement(engine: Engine) {
        let now = engine.now
        accounting.beginMeasurement(at: now)
        for station in stations { station._withUnsafeGuaranteedRef { $0.resetStatistics(at: now) } }
        for station in batchStations { station._withUnsafeGuaranteedRef { $0.resetStatistics(at: now) } }
        if let duration = run.duration, run.requests == nil {
            engine.schedule(at: now + SimTimeConversion.nanoseconds(fromSeconds: duration), target: controlID,
                            kind: Kind.endMeasurement.rawValue)
        }
    }
}
