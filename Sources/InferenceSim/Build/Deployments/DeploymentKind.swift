// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// What one deployment kind of the scenario (`DeploymentSpec`) means to the simulation: how
/// its requests travel (the `FlowPlan`'s runtime shape and legs), which messages a request sends
/// (link load), how the models' answers combine (accuracy), which share of the requests reaches
/// each placement (offered load) and a lower bound on latency (the planner's screening).
///
/// Each kind is one file in this folder; `DeploymentSpec.kind` is the one place that maps a spec
/// case to its kind. A kind whose requests move like an existing runtime shape (`FlowPlan.Shape`:
/// chain, fan-out, cascade) needs no change in `Flow/`.
protocol DeploymentKind {
    /// The runtime shape and the legs of one replication.
    func route(_ legs: RouteLegs) throws -> DeploymentRoute
    /// Adds the messages one request sends, in the order they are sent.
    func addMessages(to request: inout RequestMessages)
    /// How the answers of parallel models become one; nil when one model answers a request.
    func answerFusion(classes: Int) throws -> AnswerFusion?
    /// k of the recall@k reported under log replay; nil for none.
    var recallAt: Int? { get }
    /// The expected share of the requests that reach each placement, in placement order.
    func reaches(_ config: ScenarioConfig) -> [CascadeReach]
    /// A lower bound on the latency statistic from the same statistic of each placement's
    /// service time (`stages`, in placement order): the mean when `isMean`, else a quantile.
    /// nil when none is known.
    func latencyLowerBound(stages: [Double], isMean: Bool) -> Double?
}

extension DeploymentKind {
    var recallAt: Int? { nil }

    func answerFusion(classes: Int) throws -> AnswerFusion? { nil }

    /// Every request reaches every placement.
    func reaches(_ config: ScenarioConfig) -> [CascadeReach] {
        config.deployment.placements.map { _ in CascadeReach(share: 1, isExact: true) }
    }
}

extension DeploymentSpec {
    /// The kind of this deployment as the simulation sees it (the registry of kinds).
    var kind: any DeploymentKind {
        switch self {
        case .single(let placement): PipelineKind(stages: [placement])
        case .pipeline(let stages): PipelineKind(stages: stages)
        case .collaborative(let spec): CollaborativeKind(spec: spec)
        case .distributed(let spec): DistributedKind(spec: spec)
        case .cascade(let spec): CascadeKind(spec: spec)
        }
    }

    /// A lower bound on a latency statistic from the same statistic of each placement's service
    /// time on its node (in placement order): the mean when `isMean`, else the quantile; nil
    /// when none is known (docs/planner.md, "Screening").
    public func latencyLowerBound(stages: [Double], isMean: Bool) -> Double? {
        kind.latencyLowerBound(stages: stages, isMean: isMean)
    }
}

/// What a kind compiles into for one replication: the runtime shape and the network legs.
struct DeploymentRoute {
    var shape: FlowPlan.Shape
    /// Per workload: source → first stage (chain, cascade) or → dispatch node (fan-out).
    var entryLegs: [Transport.Leg]
    /// Per stage: how work reaches it (`FlowPlan.forwardLegs`).
    var forwardLegs: [Transport.Leg]
    /// Fan-out only, per branch: branch node → join node.
    var answerLegs: [Transport.Leg] = []
    /// Per workload, per answering point: back to the source (`FlowPlan.responseLegs`).
    var responseLegs: [[Transport.Leg]]
    /// log2 of the job-id stride (`JobLayout`); 0 outside fan-outs.
    var jobShift = 0
    /// Per workload: the pooled entry call, or nil.
    var entryPoolSites: [ConnectionPools.Site?]
    /// Per branch of a fan-out: the pooled call from the dispatch node, or nil.
    var branchPoolSites: [ConnectionPools.Site?] = []
}

/// What a kind builds its legs from: the placements' nodes and calls, and the builder that
/// makes legs, pool sites and join rules.
struct RouteLegs {
    let builder: FlowPlanBuilder
    /// Per placement: its node, its call protocol and its own protocol settings.
    let nodes: [String]
    let vias: [CallProtocol?]
    let settings: [ProtocolSpec?]

    var workloads: [WorkloadSpec] { builder.config.workloads }

    /// The leg to placement `k` (with its call) from `node`, or back from it (`isResponse`).
    func leg(placement k: Int, from: String, to: String, isResponse: Bool) throws -> Transport.Leg {
        try builder.transport.leg(from: from, to: to, via: vias[k], settings: settings[k], isResponse: isResponse)
    }

    /// An in-process or plain leg (no call protocol), e.g. to and from a dispatch node.
    func plainLeg(from: String, to: String, isResponse: Bool) throws -> Transport.Leg {
        try builder.transport.leg(from: from, to: to, via: nil, isResponse: isResponse)
    }
}
