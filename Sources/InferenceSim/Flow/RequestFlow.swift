// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import ScenarioModel
import SimCore

/// The life of requests in one replication: arrival at the workload's source, the
/// deployment's stages (`FlowPlan`), network legs between them, the answer's return to the
/// source; and the measurement window (warm-up, then `requests` completions or `duration`
/// seconds).
///
/// This type is the request core (arrival, delivery of events, stage to stage, completion,
/// per-request state in `RequestTable`); it is the delegate of every model station and the
/// handler of the flow's events, and hands the rest to its parts: `FanOutJoin` (dispatch,
/// branch calls, join), `CallRetries` (timeouts and retries of entry and branch calls),
/// `PooledCalls` (calls over keep-alive pools), `OverlappedReceipts` (pipeline calls whose
/// receipt overlaps the caller's send), `RequestAnswers`, `BrokerRelay` and
/// `FlowAccounting`. Station callbacks are in `RequestFlow+Stations.swift`, message legs in
/// `RequestFlow+Legs.swift`, completions, drops and the measurement window in
/// `RequestFlow+Completion.swift`.
///
/// Jobs at stations are identified by a `JobID` (`JobLayout`: slot and branch). A message that takes no
/// time (same node, in-process call) continues at once instead of becoming an event, so a
/// scenario without links costs exactly one arrival event plus one event per service.
///
/// Ownership keeps the hot path free of reference counting and of cycles: the engine owns
/// the stations, each station owns this flow as its delegate, the flow owns its parts (`let`,
/// so reaching them retains nothing), and the flow reaches the stations, stages and legs only
/// through `UnownedRef`s (`Simulation` and the plan keep them alive). The parts reach the flow
/// as the `flow` argument of each call.
final class RequestFlow: FIFOStationDelegate, BatchStationDelegate, ProcessorSharingStationDelegate, HostedStationDelegate,
    EventHandler {
    let run: RunSettings
    var requests = RequestTable()
    /// The broker of `via: queue` legs (nil without one), and its station (which owns the
    /// relay as its delegate; `Simulation` keeps it alive).
    private(set) var brokerRelay: BrokerRelay?
    private(set) var brokerStation: UnownedRef<FIFOStation>?
    /// Fan-out: dispatch, branch calls, join (idle in other shapes).
    let fanOut = FanOutJoin()
    /// Timeouts and retries: of entry calls (single, pipeline, cascade; a new slot per
    /// attempt) and of fan-out branch calls (a `JobID` per attempt).
    let entryRetries = CallRetries<EntryCall>()
    let branchRetries = CallRetries<BranchCall>()
    /// Calls over keep-alive connection pools (off when no call is pooled).
    let pooledCalls = PooledCalls()
    /// Pipeline calls whose receipt overlaps the caller's send (idle without `serverWorkStarts: withSend`).
    let receipts = OverlappedReceipts()
    /// Owns the stages and legs that `tables` reaches without counting.
    private var plan: FlowPlan?
    /// The plan's stages, legs and per-stage numbers (empty until `attach`).
    private(set) var tables = FlowTables()
    /// `transportOwner` without reference counting.
    let transport: UnownedRef<Transport>
    private let transportOwner: Transport
    private(set) var shape = Shape.chain
    /// What the entry call delivers: `atStation` (chain, cascade), `atDispatch` (fan-out),
    /// `atDispatchWork` (a fan-out with `dispatchWork`) or `atDispatchSends` (with `sendWork`
    /// and no `dispatchWork`).
    private var entryKind = Kind.atStation
    /// Cascade only: per stage, the confidence below which it escalates.
    private(set) var cascadeThresholds: [Double] = []
    /// The model stations (their statistics restart with the measurement window).
    private(set) var stations: [UnownedRef<FIFOStation>] = []
    private(set) var batchStations: [UnownedRef<BatchStation>] = []
    private(set) var sharingStations: [UnownedRef<ProcessorSharingStation>] = []
    /// The shared hosts (their statistics and their stations' restart with the measurement window).
    private(set) var hosts: [UnownedRef<SharedHost>] = []
    /// Node groups' member choices (`plan.groupRouting`, which the plan keeps alive); nil
    /// without groups.
    private(set) var groupRouting: UnownedRef<GroupRouting>?
    /// Per workload: the payload sampler (nil: no payload), and the service-time factor
    /// (video frames).
    private let payloads: [(sampler: Sampler, stream: RandomStream)?]
    private let workFactors: [Double]
    /// One workload, no payload, no video factor, no network: arrivals go straight to stage 0.
    private var plainArrivals = false
    private(set) var layout = JobLayout(shift: 0)
    private(set) var controlID: HandlerID = -1
    /// Accuracy (when every placed model defines one): each request's answers, their fusion,
    /// and the accuracy counts.
    var answers = RequestAnswers()
    /// The measurement window, totals, statistics, breakdown and trace.
    var accounting: FlowAccounting
    /// Cascade only: measured requests answered by each stage.
    var answeredByStage: [Int] = []

    /// Whether the measurement window has begun (warm-up is over).
    var measuring: Bool {
        @inline(__always) get { accounting.measuring }
    }
    /// Request records held: requests in flight and abandoned attempts not yet released.
    var requestRecords: Int { requests.live }
    /// Whether any call has a timeout (`calls.*` in the summary).
    var countsCallTimeouts: Bool { entryRetries.isOn || branchRetries.isOn }
    /// Measured window: attempts that timed out, and retries sent.
    var timedOutCalls: Int { entryRetries.timedOut + branchRetries.timedOut }
    var retriedCalls: Int { entryRetries.retried + branchRetries.retried }
    var usesConnectionPools: Bool { pooledCalls.isOn }

    enum Shape { case chain, fanOut, cascade }

    enum Kind: Int32 {
        case beginMeasurement, endMeasurement, atStation, atDispatch, atJoin, deadline, joinDone, response
        /// At the broker's station (`BrokerRelay`); a duplicate delivery reaches its stage
        /// (`JobID.duplicate(stage:)`).
        case atBroker, duplicate
        /// A branch call attempt's timeout, and its retry (payload: the attempt's `JobID`).
        case callTimeout, retry
        /// Single, pipeline, cascade: an entry call's timeout, and its retry (payload: the slot
        /// of the attempt given up on).
        case entryTimeout, entryRetry
        /// A fan-out with `dispatchWork`: the request reached the dispatch node, its work comes
        /// first (`atDispatch` or `atDispatchSends` follows when it is done).
        case atDispatchWork
        /// A fan-out with `sendWork`: the dispatch, whose calls go out one by one after their
        /// writes.
        case atDispatchSends
        /// A pipeline call with `serverWorkStarts: withSend`: its message reached the called
        /// node, whose receipt job comes now (`OverlappedReceipts`).
        case atReceipt
    }

    /// A flow for requests over `transport`, with per workload its payload sampler and its
    /// service-time factor (video frames); `attach` then hands it the plan.
    init(run: RunSettings, metrics: consuming MeasurementCollector, transport: Transport,
         payloads: [(sampler: Sampler, stream: RandomStream)?], workFactors: [Double]) {
        self.run = run
        accounting = FlowAccounting(run: run, metrics: metrics)
        transportOwner = transport
        self.transport = UnownedRef(transport)
        self.payloads = payloads
        self.workFactors = workFactors
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
        brokerStation = UnownedRef(station)
        plainArrivals = false
    }

    /// Sends every measured request that leaves, as a row, to `sink`.
    func enableTrace(_ sink: any RequestTraceSink, replication: Int) {
        accounting.enableTrace(sink, replication: replication)
    }

    /// Hands the flow its compiled deployment and the stations it uses (created with this flow
    /// as their delegate, batching, processor-sharing ones and those on shared hosts included).
    /// Called once, before `start`.
    func attach(plan: FlowPlan, stations: [FIFOStation], batchStations: [BatchStation] = [],
                sharingStations: [ProcessorSharingStation] = [], hosts: [SharedHost] = []) {
        precondition(self.plan == nil && !plan.stages.isEmpty, "attach exactly once, with at least one stage")
        self.plan = plan
        tables = FlowTables(plan)
        switch plan.shape {
        case .chain: shape = .chain
        case .fanOut(let rule):
            shape = .fanOut
            fanOut.configure(rule: rule, branches: plan.stages.count)
            entryKind = rule.dispatchWork == nil ? fanOut.dispatchKind : .atDispatchWork
            branchRetries.configure(policies: plan.forwardLegs.map(\.callPolicy))
        case .cascade(let thresholds):
            shape = .cascade
            cascadeThresholds = thresholds
            answeredByStage = Array(repeating: 0, count: plan.stages.count)
        }
        if shape != .fanOut { entryRetries.configure(policies: plan.entryLegs.map(\.callPolicy)) }
        self.stations = stations.map(UnownedRef.init)
        self.batchStations = batchStations.map(UnownedRef.init)
        self.sharingStations = sharingStations.map(UnownedRef.init)
        self.hosts = hosts.map(UnownedRef.init)
        layout = JobLayout(shift: plan.jobShift)
        groupRouting = plan.groupRouting.map(UnownedRef.init)
        if let pools = plan.connectionPools { pooledCalls.configure(pools: pools) }
        if shape == .fanOut { fanOut.checkAnswers(retries: branchRetries.isOn, pools: pooledCalls.isOn) }
        plainArrivals = groupRouting == nil && shape == .chain && payloads.count == 1 && payloads[0] == nil && workFactors[0] == 1
            && plan.entryLegs[0].isInstant
    }

    /// Registers the flow for its own events and schedules the start of measurement (or
    /// starts it now when there is no warm-up).
    func start(engine: Engine) {
        controlID = engine.register(self)
        if let plan, !plan.receiptWork.isEmpty {
            receipts.configure(work: plan.receiptWork, legs: plan.receiptLegs, engine: engine)
        }
        transportOwner.sharing?.start(engine: engine)
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
            tables.stages[0].withObject { $0.arrive(Int64(slot), engine: engine) }
            return
        }
        requests[slot].workload = Int32(workload)
        requests[slot].workFactor = workFactors[workload]
        groupRouting?.withObject { $0.arrived(slot: slot, workload: workload) }
        if answers.isEnabled { answers.draw(slot: slot) }
        if let payload = payloads[workload] {
            requests[slot].payload = payload.sampler.sample(payload.stream)
        }
        entryRetries.startTimer(call: workload, attempt: Int64(slot), flow: self, engine: engine)
        callEntry(slot: slot, workload: workload, engine: engine)
    }

    /// Sends request `slot`'s entry call: to the dispatch node (fan-out) or the first stage,
    /// through its pool when it has one.
    func callEntry(slot: Int, workload: Int, engine: Engine) {
        if pooledCalls.isOn, pooledCalls.callEntry(slot: slot, workload: workload, flow: self, engine: engine) { return }
        let leg = tables.entry[workload]
        send(leg, payload: requests[slot].payload, kind: entryKind, id: Int64(slot), engine: engine)
    }

    /// A retried entry call carries its request from slot `old` to the new slot `slot`: the
    /// source member and the answers go along.
    func carryRequest(from old: Int, to slot: Int) {
        groupRouting?.withObject { $0.copySourceMember(from: old, to: slot) }
        if answers.isEnabled { answers.carry(from: old, to: slot) }
    }

    // MARK: Events

    func handle(_ event: Event, engine: Engine) {
        guard let kind = Kind(rawValue: event.kind) else { preconditionFailure("unknown flow event \(event.kind)") }
        deliver(kind, id: event.payload, engine: engine)
    }

    func deliver(_ kind: Kind, id: Int64, engine: Engine) {
        switch kind {
        case .beginMeasurement: beginMeasurement(engine: engine)
        case .endMeasurement: engine.stop()
        case .atStation:
            let job = JobID(rawValue: id)
            let slot = layout.slot(of: job.firstAttempt)
            let stage = stageIndex(job: job, slot: slot)
            if let groupRouting, let member = groupRouting.withObject({ $0.station(stage: stage, slot: slot) }) {
                member.withObject { $0.arrive(id, engine: engine) }
            } else {
                tables.stages[stage].withObject { $0.arrive(id, engine: engine) }
            }
        case .atDispatch: fanOut.dispatch(slot: Int(id), flow: self, engine: engine)
        case .atJoin: fanOut.answerArrived(JobID(rawValue: id), flow: self, engine: engine)
        case .deadline: fanOut.deadlinePassed(slot: Int(id), flow: self, engine: engine)
        case .joinDone: fanOut.joinDone(slot: Int(id), flow: self, engine: engine)
        case .response: responseArrived(slot: Int(id), engine: engine)
        case .atBroker:
            guard let brokerStation else { preconditionFailure("a message for the broker, and no broker attached") }
            brokerStation.withObject { $0.arrive(id, engine: engine) }
        case .duplicate: tables.stages[JobID(rawValue: id).duplicateStage].withObject { $0.arrive(id, engine: engine) }
        case .callTimeout: branchRetries.timedOut(id, flow: self, engine: engine)
        case .retry: branchRetries.retry(id, flow: self, engine: engine)
        case .entryTimeout: entryRetries.timedOut(id, flow: self, engine: engine)
        case .entryRetry: entryRetries.retry(id, flow: self, engine: engine)
        case .atDispatchWork: fanOut.startDispatchWork(slot: Int(id), flow: self, engine: engine)
        case .atDispatchSends: fanOut.dispatchSendingOneByOne(slot: Int(id), flow: self, engine: engine)
        case .atReceipt: receipts.arrived(slot: Int(id), flow: self, engine: engine)
        }
    }

    /// One thing that referred to `slot` is done; the slot is freed when none is left.
    @inline(__always)
    func release(_ slot: Int) {
        requests[slot].outstanding -= 1
        if requests[slot].outstanding == 0 { requests.release(slot) }
    }
}
