// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// The node-group part of a request's route, for scenarios that declare groups: which member
/// of its source group each request comes from, and which member serves each stage placed on
/// a group. Absent (nil in the plan) when the deployment uses no group, so scenarios without
/// groups pay nothing.
///
/// Per request it keeps one `Int32` (the source member), in a table indexed by the request's
/// slot that grows with the requests in flight, like `RequestTable`.
final class GroupRouting {
    /// Per workload: how its arrivals spread over its source group; nil when the source is a
    /// single node.
    private let spreads: [SourceSpread?]
    /// Per stage: the member selector when the stage is placed on a group.
    /// Per stage: the member selector when the stage is placed on a group (`selectorOwners`
    /// keeps them alive).
    private let selectors: FixedTable<UnownedRef<MemberSelector>?>
    private let selectorOwners: [MemberSelector?]
    private var sourceMembers = GrowableBuffer<Int32>(filler: -1)

    init(spreads: [SourceSpread?], selectors: [MemberSelector?]) {
        self.spreads = spreads
        selectorOwners = selectors
        self.selectors = FixedTable(selectors.map { $0.map(UnownedRef.init) })
    }

    /// The routing of `config`'s deployment over the groups it places models on (`groups`, by
    /// name) and the groups its workloads come from, or nil when it uses no group.
    static func make(config: ScenarioConfig, replication: Int, groups: [String: NodeGroup]) throws -> GroupRouting? {
        var spreads: [SourceSpread?] = []
        for (index, workload) in config.workloads.enumerated() {
            guard let source = workload.source, let count = config.nodes.first(where: { $0.name == source })?.count else {
                if workload.sourceWeights != nil {
                    throw SimulationBuildError("workload \(index): `weights` need a node group as the source")
                }
                spreads.append(nil)
                continue
            }
            spreads.append(try SourceSpread(
                count: count, weights: workload.sourceWeights,
                stream: RandomStream(seed: config.seed, replication: replication, name: "source/\(index)")))
        }
        var selectors: [MemberSelector?] = []
        for (index, placement) in config.deployment.placements.enumerated() {
            guard let group = groups[placement.node] else {
                if placement.select != nil {
                    throw SimulationBuildError("stage \(index): `select` needs a node group; `\(placement.node)` is one node")
                }
                selectors.append(nil)
                continue
            }
            guard let policy = placement.select else {
                throw SimulationBuildError("stage \(index) on node group `\(placement.node)` needs `select`")
            }
            if policy == .local {
                for (w, workload) in config.workloads.enumerated() where workload.source != placement.node {
                    throw SimulationBuildError(
                        "stage \(index): `select: local` on `\(placement.node)` but workload \(w) comes from `\(workload.source ?? "the entry node")`")
                }
            }
            selectors.append(MemberSelector(
                policy: policy, group: group,
                stream: RandomStream(seed: config.seed, replication: replication, name: "select/\(index)")))
        }
        guard spreads.contains(where: { $0 != nil }) || selectors.contains(where: { $0 != nil }) else { return nil }
        return GroupRouting(spreads: spreads, selectors: selectors)
    }

    /// A request of workload `workload` arrived in slot `slot`: draws the member it comes from.
    @inline(__always)
    func arrived(slot: Int, workload: Int) {
        sourceMembers.reserve(upTo: slot)
        sourceMembers[slot] = Int32(truncatingIfNeeded: spreads[workload]?.nextMember() ?? -1)
    }

    /// The station of the member that serves stage `stage` for the request in `slot`; nil
    /// when the stage is on a single node (the stage's own station serves it).
    @inline(__always)
    func station(stage: Int, slot: Int) -> UnownedRef<FIFOStation>? {
        guard let selector = selectors[stage] else { return nil }
        let source = Int(sourceMembers[slot])
        return selector.withObject { $0.select(sourceMember: source) }
    }

    /// The member of its source group that the request in `slot` came from (−1: one node).
    @inline(__always)
    func sourceMember(slot: Int) -> Int {
        Int(sourceMembers[slot])
    }

    /// A retried request moves from slot `old` to slot `new`: it keeps its source member.
    func copySourceMember(from old: Int, to new: Int) {
        sourceMembers.reserve(upTo: new)
        sourceMembers[new] = sourceMembers[old]
    }
}
