// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// Compiles a scenario's deployment into a `FlowPlan` for one replication: one station per
/// node that hosts a model, one `ServiceStage` per placement, and the network legs between
/// the workloads' sources and the stages. The scenario loader has checked names and routes
/// with locations already; errors here are the last line of defence.
struct FlowPlanBuilder {
    let config: ScenarioConfig
    let replication: Int
    let transport: Transport

    /// The stations created, in order of first use by the deployment, with their nodes.
    private(set) var stations: [(node: NodeSpec, station: FIFOStation)] = []
    /// The batching stations of nodes that host a batching model (`FlowPlanBuilder+Batching`).
    var batchStations: [(node: NodeSpec, station: BatchStation)] = []
    /// The processor-sharing stations of nodes with `concurrency:` (`FlowPlanBuilder+Sharing`).
    var sharingStations: [(node: NodeSpec, station: ProcessorSharingStation)] = []
    /// The stations of nodes on shared hosts, and those hosts (`FlowPlanBuilder+Hosts`).
    var hostedStations: [(node: NodeSpec, station: HostedStation)] = []
    var hosts: [SharedHost] = []
    /// The node groups the deployment places models on, by name (their members are in
    /// `stations` too).
    private(set) var groups: [String: NodeGroup] = [:]
    /// The slow periods of nodes with `slowPeriods`, by node name, shared by their stages.
    private var slowPeriodsByNode: [String: SlowPeriods] = [:]

    init(config: ScenarioConfig, replication: Int, transport: Transport) {
        self.config = config
        self.replication = replication
        self.transport = transport
    }

    mutating func build(flow: RequestFlow, engine: Engine) throws -> FlowPlan {
        let placements = config.deployment.placements
        guard !placements.isEmpty else { throw SimulationBuildError("the deployment has no stages") }
        guard placements.count <= 64 else { throw SimulationBuildError("at most 64 branches or stages") }
        var stages: [ServiceStage] = []
        let offeredLoads = config.models.contains { $0.serviceTimeScaling?.variable == .utilization }
            ? OfferedLoad.perNode(config) : []  // ρ per node, for `serviceTimeScaling: {by: utilization}`
        var outputs: [Double] = []
        let receiptWork = try receiptWork()
        let shares = config.deployment.workShares
        for (index, placement) in placements.enumerated() {
            let model = try find(model: placement.model)
            let node = try find(node: placement.node)
            guard let serviceTime = model.serviceTime(on: node.hardware) else {
                throw SimulationBuildError("model `\(model.name)` has no service time for node `\(node.name)`")
            }
            let sampler: Sampler
            do { sampler = try Sampler(serviceTime) } catch {
                throw SimulationBuildError("model `\(model.name)` service time: \(error)")
            }
            let stream = RandomStream(seed: config.seed, replication: replication,
                                      name: "service/\(index)/\(model.name)@\(node.name)")
            var scale = shares[index] / (try speed(of: node))
            let scaling = model.serviceTimeScaling?.resolved(node: node.name, offeredLoads: offeredLoads)
            if let scaling, scaling.scale != 1 { scale *= scaling.scale }
            let serverWork = receiptWork.isEmpty || receiptWork[index] == nil ? try serverWork(of: index) : nil
            // This stage's job is the send of an overlapped call into the next stage.
            let sends = index + 1 < receiptWork.count && receiptWork[index + 1] != nil ? index : nil
            let stage: ServiceStage
            if node.wakeUp != nil, node.concurrency != nil || node.coldStart != nil || node.spot != nil || model.batching != nil {
                throw SimulationBuildError("node `\(node.name)`: `wakeUp` is simulated on FIFO workers only (no processor sharing, batching, coldStart or spot)")
            }
            if node.slowPeriods != nil, node.count != nil || node.autoscaling != nil || node.concurrency != nil || node.host != nil {
                throw SimulationBuildError("node `\(node.name)`: `slowPeriods` is simulated on a node's own FIFO workers only (no group, autoscaling, processor sharing or shared host)")
            }
            if let hosted = try hostedStation(for: node, flow: flow, engine: engine) {
                stage = ServiceStage(sampler: sampler, stream: stream, scale: scale, serverWork: serverWork,
                                     sendsOverlappedCall: sends, hostedStation: hosted)
            } else if let sharing = try sharingStation(for: node, flow: flow, engine: engine) {
                stage = ServiceStage(sampler: sampler, stream: stream, scale: scale, serverWork: serverWork,
                                     sendsOverlappedCall: sends, sharingStation: sharing)
            } else if let batching = try batchingStation(for: node, model: model, flow: flow, engine: engine) {
                guard node.slowPeriods == nil else {
                    throw SimulationBuildError("node `\(node.name)`: `slowPeriods` is not simulated with batching, activation memory, cold starts, thermal limits or spot instances")
                }
                stage = ServiceStage(sampler: sampler, stream: stream, scale: scale, serverWork: serverWork,
                                     batchStation: batching.station, jobClass: batching.jobClass, curve: batching.curve)
            } else {
                stage = ServiceStage(sampler: sampler, stream: stream, scale: scale, scaling: scaling?.inFlight,
                                     slowPeriods: slowPeriods(of: node, engine: engine), serverWork: serverWork, sendsOverlappedCall: sends,
                                     station: try station(for: node, flow: flow, engine: engine))
            }
            stages.append(stage)
            outputs.append(model.outputBytes ?? FlowPlan.defaultOutputBytes)
        }
        var route = try config.deployment.kind.route(
            RouteLegs(builder: self, nodes: placements.map(\.node), vias: placements.map(\.via), settings: placements.map(\.call)))
        if case .fanOut(let rule) = route.shape, let frontWork = try frontWork(flow: flow, engine: engine) {
            route.shape = .fanOut(rule.with(frontWork))
        }
        // An overlapped call's message leaves on its own leg when the send starts; the table's
        // leg into the stage becomes the hand-off the flow relays (`OverlappedReceipts`).
        let receiptLegs = receiptWork.indices.map { receiptWork[$0] == nil ? nil : route.forwardLegs[$0] }
        for (index, leg) in receiptLegs.enumerated() {
            if let leg { route.forwardLegs[index] = leg.overlappingReceipt() }
        }
        let pools = (route.entryPoolSites + route.branchPoolSites).contains { $0 != nil }
            ? ConnectionPools(entrySites: route.entryPoolSites, branchSites: route.branchPoolSites) : nil
        return FlowPlan(shape: route.shape, stages: stages, entryLegs: route.entryLegs, forwardLegs: route.forwardLegs,
                        answerLegs: route.answerLegs, responseLegs: route.responseLegs, shares: shares,
                        outputBytes: outputs, jobShift: route.jobShift,
                        groupRouting: try GroupRouting.make(config: config, replication: replication, groups: groups),
                        connectionPools: pools, receiptWork: receiptWork, receiptLegs: receiptLegs)
    }

    /// The pooled call of `leg` from `caller` to `callee`, or nil when its protocol keeps no
    /// pool. A caller that is a node group keeps one pool per member.
    func poolSite(_ leg: Transport.Leg, from caller: String, to callee: String,
                          via call: CallProtocol?) -> ConnectionPools.Site? {
        guard let pooling = leg.pooling, let call else { return nil }
        let members = config.nodes.first { $0.name == caller }?.count ?? 1
        return ConnectionPools.Site(caller: caller, callerMembers: members, callee: callee, call: call, pooling: pooling)
    }

    /// A fan-out's join rule; `stream` names the random stream of its `cost`.
    func joinRule(deadline: Double?, quorum: Int, failOnMiss: Bool, cost: Distribution?, stream: String,
                          branches: Int) throws -> FlowPlan.JoinRule {
        guard (0...branches).contains(quorum) else {
            throw SimulationBuildError("quorum \(quorum) is outside 0...\(branches)")
        }
        let sampler = try cost.map { try Sampler($0) }
        return FlowPlan.JoinRule(
            deadline: deadline.map { SimTimeConversion.nanoseconds(fromSeconds: $0) },
            quorum: deadline == nil ? branches : quorum, failOnQuorumMiss: failOnMiss,
            cost: sampler.map { ($0, RandomStream(seed: config.seed, replication: replication, name: stream)) })
    }

    /// Bits needed to number `branches` branches.
    static func shift(for branches: Int) -> Int {
        var shift = 0
        while (1 << shift) < branches { shift += 1 }
        return shift
    }

    mutating func station(for node: NodeSpec, flow: RequestFlow, engine: Engine) throws -> FIFOStation {
        if let group = groups[node.name] { return group.members[0] }
        if let existing = stations.first(where: { $0.node.name == node.name }) { return existing.station }
        try checkRunsModels(node)
        if let count = node.count {
            // A group: one station per member; the stage's own station is member 0's, and the
            // plan's `GroupRouting` picks the member per request.
            guard count >= 1, node.autoscaling == nil else {
                throw SimulationBuildError("node group `\(node.name)` needs count ≥ 1 and no autoscaling")
            }
            let members = (0..<count).map { index in
                let member = NodeGroup.memberSpec(node, index: index)
                let station = FIFOStation(name: member.name, workers: node.totalWorkers, delegate: flow, engine: engine,
                                          setup: node.wakeUp.map(WakeUpDelay.init))
                stations.append((member, station))
                return station
            }
            groups[node.name] = NodeGroup(node: node, members: members)
            return members[0]
        }
        let station = FIFOStation(name: node.name, workers: node.totalWorkers, delegate: flow, engine: engine,
                                  setup: node.wakeUp.map(WakeUpDelay.init))
        stations.append((node, station))
        return station
    }

    /// The node's slow periods, created at its first stage (nil without `slowPeriods`).
    private mutating func slowPeriods(of node: NodeSpec, engine: Engine) -> SlowPeriods? {
        guard let spec = node.slowPeriods else { return nil }
        if let existing = slowPeriodsByNode[node.name] { return existing }
        let periods = SlowPeriods(spec, stream: RandomStream(seed: config.seed, replication: replication,
                                                             name: "slow-periods/\(node.name)"), engine: engine)
        slowPeriodsByNode[node.name] = periods
        return periods
    }

    /// Throws unless `node` can run models: a server, cloud pool or edge device with a worker.
    func checkRunsModels(_ node: NodeSpec) throws {
        guard [.server, .cloud, .edge].contains(node.kind) else {
            throw SimulationBuildError("node `\(node.name)` is a \(node.kind.rawValue): models run on servers, cloud pools and edge devices")
        }
        guard node.totalWorkers >= 1 else { throw SimulationBuildError("node `\(node.name)` needs at least one worker") }
    }

    /// The speed factor of the node's power mode (1 without one).
    func speed(of node: NodeSpec) throws -> Double {
        guard let modeName = node.powerMode else { return 1 }
        guard let mode = config.hardware.first(where: { $0.name == node.hardware })?.powerModes
            .first(where: { $0.name == modeName }) else {
            throw SimulationBuildError("node `\(node.name)`: unknown power mode `\(modeName)`")
        }
        guard mode.speedFactor > 0 else { throw SimulationBuildError("power mode `\(modeName)` has speed ≤ 0") }
        return mode.speedFactor
    }

    private func find(model name: String) throws -> ModelSpec {
        guard let model = config.models.first(where: { $0.name == name }) else {
            throw SimulationBuildError("unknown model `\(name)`")
        }
        return model
    }

    func find(node name: String) throws -> NodeSpec {
        guard let node = config.nodes.first(where: { $0.name == name }) else {
            throw SimulationBuildError("unknown node `\(name)`")
        }
        return node
    }
}
