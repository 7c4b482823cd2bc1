// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Which model runs on which node, and how it is called.
public struct Placement: Sendable, Equatable {
    public var model: String
    public var node: String
    /// How the caller reaches the model; `nil` for an in-process call (no protocol cost).
    public var via: CallProtocol?
    /// When `node` is a node group: how a member is picked per request; nil otherwise.
    public var select: MemberSelection?
    /// This placement's own protocol settings (`call:`), over the scenario's `protocols:` entry
    /// for `via`; nil: the scenario's.
    public var call: ProtocolSpec?

    public init(model: String, node: String, via: CallProtocol? = nil, select: MemberSelection? = nil,
                call: ProtocolSpec? = nil) {
        self.model = model
        self.node = node
        self.via = via
        self.select = select
        self.call = call
    }
}

/// How a request's work flows through the placed models (DESIGN.md §1 gives the reading of
/// the source document's two forms).
public enum DeploymentSpec: Sendable, Equatable {
    /// One model on one node.
    case single(Placement)
    /// Stages in series: a request leaves stage k and goes to stage k+1.
    case pipeline([Placement])
    /// The same input goes to every branch; the answers are fused at one node.
    case collaborative(CollaborativeSpec)
    /// One request's work is split over parts by shares and gathered at an aggregator.
    case distributed(DistributedSpec)
    /// A cheap model answers first; low-confidence requests escalate to the next stage.
    case cascade(CascadeSpec)

    /// The nodes the deployment itself names: where models run, and the dispatch, fusion,
    /// split and aggregation nodes. In file order, without repeats.
    public var nodesNamed: [String] {
        var names = placements.map(\.node)
        switch self {
        case .collaborative(let spec): names += [spec.dispatchFrom, spec.fuseAt].compactMap { $0 }
        case .distributed(let spec): names += [spec.splitFrom, spec.aggregator].compactMap { $0 }
        case .single, .pipeline, .cascade: break
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Every placement of the deployment, in file order.
    public var placements: [Placement] {
        switch self {
        case .single(let placement): [placement]
        case .pipeline(let stages): stages
        case .collaborative(let spec): spec.branches.map(\.placement)
        case .distributed(let spec): spec.parts.map(\.placement)
        case .cascade(let spec): spec.stages.map(\.placement)
        }
    }

    /// Per placement, the fraction of a request's work (service time, payload, answer) it
    /// does: the parts' shares of a distributed deployment, 1 for every other kind.
    public var workShares: [Double] {
        if case .distributed(let spec) = self { return spec.parts.map(\.share) }
        return placements.map { _ in 1 }
    }

    /// The nodes a workload's requests enter the deployment at, and the nodes its answers
    /// leave from (a cascade enters and answers at any stage), for the route checks.
    public var entryAndExitNodes: (entries: [String], exits: [String]) {
        switch self {
        case .single(let placement): ([placement.node], [placement.node])
        case .pipeline(let stages): (stages.first.map { [$0.node] } ?? [], stages.last.map { [$0.node] } ?? [])
        case .collaborative(let spec): ([spec.dispatchFrom ?? spec.fuseAt], [spec.fuseAt])
        case .distributed(let spec): ([spec.splitFrom ?? spec.aggregator], [spec.aggregator])
        case .cascade(let spec): (spec.stages.map(\.placement.node), spec.stages.map(\.placement.node))
        }
    }

    /// Where parallel answers are joined (a collaborative deployment's `fuseAt`, a distributed
    /// one's `aggregator`) and the compute time of the join; nil when nothing is joined.
    public var joinPoint: (node: String, cost: Distribution?)? {
        switch self {
        case .collaborative(let spec): (spec.fuseAt, spec.fusion.cost)
        case .distributed(let spec): (spec.aggregator, spec.mergeCost)
        case .single, .pipeline, .cascade: nil
        }
    }

    /// The nodes that serve a collaborative deployment's front work as jobs (`dispatchWork`,
    /// `sendWork`, `fusion.readWork`, `fusion.work`), each with the work's mean per request
    /// (seconds; a send or a read counts once per branch); empty otherwise.
    public var frontWorks: [(node: String, mean: Double)] {
        guard case .collaborative(let spec) = self else { return [] }
        let branches = Double(spec.branches.count)
        return [(spec.dispatchNode, spec.dispatchWork, 1.0), (spec.dispatchNode, spec.sendWork, branches),
                (spec.fuseAt, spec.fusion.readWork, branches), (spec.fuseAt, spec.fusion.work, 1.0)]
            .compactMap { node, work, times in work.map { (node, times * $0.mean) } }
    }

    /// The nodes that serve jobs: those with a placement, then those serving only front work
    /// (`frontWorks`), without repeats.
    public var servingNodes: [String] {
        var seen = Set<String>()
        return (placements.map(\.node) + frontWorks.map(\.node)).filter { seen.insert($0).inserted }
    }

    /// Whether the deployment routes on the confidence of its models' answers (a cascade), so
    /// every placed model needs an accuracy model.
    public var routesOnConfidence: Bool {
        if case .cascade = self { return true }
        return false
    }
}

/// Collaborative deployment: fan-out of the same input, fusion of the answers.
public struct CollaborativeSpec: Sendable, Equatable {
    /// The node that sends the input to the branches; `nil` means `fuseAt`.
    public var dispatchFrom: String?
    /// The node where answers are fused.
    public var fuseAt: String
    public var branches: [Branch]
    public var fusion: FusionSpec
    /// CPU work of the dispatch (read the request, write each branch call), seconds, served as
    /// a job at the dispatch node's station before the branch calls go out; `nil` for none
    /// (the dispatch then takes no time).
    public var dispatchWork: Distribution?
    /// CPU work of writing one branch call, seconds: per branch, in branch order, a job at the
    /// dispatch node's station after `dispatchWork`; a branch's call goes out when its write is
    /// done (the next write is queued then). `nil`: every call goes out at once, with no work.
    public var sendWork: Distribution?

    public init(dispatchFrom: String? = nil, fuseAt: String, branches: [Branch], fusion: FusionSpec,
                dispatchWork: Distribution? = nil, sendWork: Distribution? = nil) {
        self.dispatchFrom = dispatchFrom
        self.fuseAt = fuseAt
        self.branches = branches
        self.fusion = fusion
        self.dispatchWork = dispatchWork
        self.sendWork = sendWork
    }

    /// The node that sends the input to the branches (`dispatchFrom`, else `fuseAt`).
    public var dispatchNode: String { dispatchFrom ?? fuseAt }

    /// One model of the fan-out, with its fusion weight (used by `weighted`).
    public struct Branch: Sendable, Equatable {
        public var placement: Placement
        public var weight: Double

        public init(placement: Placement, weight: Double = 1) {
            self.placement = placement
            self.weight = weight
        }
    }
}

/// How answers are combined, and how long the fusion point waits for them.
public struct FusionSpec: Sendable, Equatable {
    public var method: FusionMethod
    /// Fuse at this many seconds after dispatch with whatever has arrived (if at least
    /// `quorum` answers are in); `nil` waits for every branch.
    public var deadline: Double?
    /// Answers needed before fusing at the deadline, 0...branches (0: answer at the deadline
    /// even with no model answer — a timeout answer, counted wrong). Default: every branch.
    public var quorum: Int?
    /// What happens when the deadline passes with fewer than `quorum` answers.
    public var onQuorumMissed: QuorumPolicy
    /// Compute time of the fusion itself at the fusion node, seconds, as a pure delay (no
    /// worker, no share of a host); `nil` for none.
    public var cost: Distribution?
    /// k of the recall@k reported for replayed prediction logs (docs/accuracy.md); `nil` for none.
    public var recallAt: Int?
    /// CPU work of the fusion (read each answer, fuse, write the response), seconds, served as
    /// a job at the `fuseAt` node's station before the answer goes back; `nil` for none. At
    /// most one of `cost` and `work`.
    public var work: Distribution?
    /// CPU work of reading one answer, seconds: a job at the `fuseAt` node's station, queued
    /// when the answer arrives; the answer counts for the join (every answer, or the deadline's
    /// quorum) when its read is done. `nil`: an answer counts when it arrives.
    public var readWork: Distribution?

    public init(method: FusionMethod, deadline: Double? = nil, quorum: Int? = nil,
                onQuorumMissed: QuorumPolicy = .wait, cost: Distribution? = nil, recallAt: Int? = nil,
                work: Distribution? = nil, readWork: Distribution? = nil) {
        self.recallAt = recallAt
        self.work = work
        self.readWork = readWork
        self.method = method
        self.deadline = deadline
        self.quorum = quorum
        self.onQuorumMissed = onQuorumMissed
        self.cost = cost
    }
}

/// Fusion rules (docs/accuracy.md states each one, with its tie rule).
public enum FusionMethod: String, Sendable, Equatable, CaseIterable {
    case mean, vote, weighted, max, min
    /// Weighted mean of scores (retrieval).
    case weightedMean
}

/// At the deadline with fewer answers than the quorum: keep waiting for the quorum, or fail
/// the request (counted as dropped).
public enum QuorumPolicy: String, Sendable, Equatable, CaseIterable {
    case wait, fail
}

/// Distributed deployment: one request's work split over parts, merged at an aggregator.
public struct DistributedSpec: Sendable, Equatable {
    /// The node that splits the request and sends the parts; `nil` means `aggregator`.
    public var splitFrom: String?
    /// The node that gathers the parts and merges them.
    public var aggregator: String
    public var parts: [Part]
    /// Compute time of the merge at the aggregator, seconds; `nil` for none.
    public var mergeCost: Distribution?

    public init(splitFrom: String? = nil, aggregator: String, parts: [Part], mergeCost: Distribution? = nil) {
        self.splitFrom = splitFrom
        self.aggregator = aggregator
        self.parts = parts
        self.mergeCost = mergeCost
    }

    /// A share of the work: the part's payload and service time are `share` of the whole
    /// request's (shares sum to 1).
    public struct Part: Sendable, Equatable {
        public var placement: Placement
        public var share: Double

        public init(placement: Placement, share: Double) {
            self.placement = placement
            self.share = share
        }
    }
}

/// Cascade deployment: stage k's answer stands when its confidence reaches its threshold;
/// otherwise the request escalates to stage k+1. The last stage always answers.
public struct CascadeSpec: Sendable, Equatable {
    public var stages: [Stage]

    public init(stages: [Stage]) {
        self.stages = stages
    }

    public struct Stage: Sendable, Equatable {
        public var placement: Placement
        /// Confidence at or above which this stage's answer stands, 0...1 (ignored on the
        /// last stage).
        public var threshold: Double

        public init(placement: Placement, threshold: Double) {
            self.placement = placement
            self.threshold = threshold
        }
    }
}

extension Placement: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case model, node, via, select, call
    }
}

extension CollaborativeSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case dispatchFrom, fuseAt, branches, fusion, dispatchWork, sendWork
    }

    // `dispatchWork` and `sendWork` came after the format was fixed: left out while unset, so
    // that a scenario without them resolves to the same bytes as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(dispatchFrom, forKey: .dispatchFrom)
        try container.encode(fuseAt, forKey: .fuseAt)
        try container.encode(branches, forKey: .branches)
        try container.encode(fusion, forKey: .fusion)
        if let dispatchWork { try container.encode(dispatchWork, forKey: .dispatchWork) }
        if let sendWork { try container.encode(sendWork, forKey: .sendWork) }
    }
}

extension CollaborativeSpec.Branch: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case placement, weight
    }
}

extension FusionSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case method, deadline, quorum, onQuorumMissed, cost, recallAt, work, readWork
    }

    // `work` and `readWork` came after the format was fixed: left out while unset (as `dispatchWork`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encodeIfPresent(deadline, forKey: .deadline)
        try container.encodeIfPresent(quorum, forKey: .quorum)
        try container.encode(onQuorumMissed, forKey: .onQuorumMissed)
        try container.encodeIfPresent(cost, forKey: .cost)
        try container.encodeIfPresent(recallAt, forKey: .recallAt)
        if let work { try container.encode(work, forKey: .work) }
        if let readWork { try container.encode(readWork, forKey: .readWork) }
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension FusionMethod: Encodable {}

/// Written as its name in the scenario file (`rawValue`).
extension QuorumPolicy: Encodable {}

extension DistributedSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case splitFrom, aggregator, parts, mergeCost
    }
}

extension DistributedSpec.Part: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case placement, share
    }
}

extension CascadeSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case stages
    }
}

extension CascadeSpec.Stage: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case placement, threshold
    }
}

/// `{KIND: spec}`: `{"single": placement}`, `{"pipeline": [placement, ...]}`,
/// `{"collaborative": ...}`, `{"distributed": ...}`, `{"cascade": ...}`.
extension DeploymentSpec: Encodable {
    private enum Kind: String, CodingKey {
        case single, pipeline, collaborative, distributed, cascade
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .single(let placement): try container.encode(placement, forKey: .single)
        case .pipeline(let stages): try container.encode(stages, forKey: .pipeline)
        case .collaborative(let spec): try container.encode(spec, forKey: .collaborative)
        case .distributed(let spec): try container.encode(spec, forKey: .distributed)
        case .cascade(let spec): try container.encode(spec, forKey: .cascade)
        }
    }
}
