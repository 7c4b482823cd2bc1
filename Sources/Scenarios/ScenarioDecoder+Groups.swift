// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Largest node group (a guard against typos).
    static let maxGroupMembers = 1_000_000
    /// Node kinds that can form groups: those that run models, and clients (sources).
    static let groupKinds: Set<NodeKind> = [.server, .cloud, .edge, .client]

    /// `count: N` of a node: N ≥ 1 identical members. Not on brokers or repositories (one of
    /// each serves a scenario), nor on autoscaled pools.
    mutating func decodeGroupCount(_ value: ScenarioNode, reader: MappingReader, kind: NodeKind?, path: KeyPath,
                                   name: String) -> Int? {
        if let kind, !Self.groupKinds.contains(kind) {
            log.error("a `\(kind.rawValue)` node cannot be a group; groups are of `server`, `cloud`, `edge` or `client` nodes",
                      at: reader.keyNode("count")!, path: path, hint: "remove `count`")
            return nil
        }
        if reader["autoscaling"] != nil {
            log.error("an autoscaled pool cannot be a node group", at: reader.keyNode("count")!, path: path,
                      hint: "use one pool with `autoscaling`, or a fixed group without it")
            return nil
        }
        guard let count = integer(value, path: path, in: 1...Self.maxGroupMembers) else { return nil }
        references.groupSizes[name] = count
        return count
    }

    /// `weights: [w0, w1, …]` of a workload: one weight ≥ 0 per member of its source group,
    /// not all 0 (their count is checked against the group in `checkGroups`).
    mutating func decodeSourceWeights(_ node: ScenarioNode, path: KeyPath, source: String?) -> [Double]? {
        guard let items = sequence(node, path: path, minimum: 1, what: "weights") else { return nil }
        var weights: [Double] = []
        for (index, item) in items.enumerated() {
            guard let weight = number(item, path: path.appending(index: index), atLeast: 0) else { return nil }
            weights.append(weight)
        }
        guard weights.contains(where: { $0 > 0 }) else {
            log.error("the weights are all 0: no member would send requests", at: node, path: path,
                      hint: "give at least one member a positive weight")
            return nil
        }
        references.sourceWeights.append((weights.count, .init(name: "weights", node: node, path: path), source))
        return weights
    }

    /// Node groups in the deployment: a placement on a group says how it picks the member
    /// (`select`), and only a placement on a group does; `select: local` needs every
    /// workload to come from that group; another policy on a group that is also a source
    /// would send requests between members, which the network model cannot route (a link on
    /// a group joins every member to the other end, not members to each other); a
    /// workload's `weights` need a group source with as many members.
    mutating func checkGroups() {
        let sources = references.workloadSources
        for placement in references.placements {
            let group = placement.on.name
            guard let size = references.groupSizes[group] else {
                if let select = placement.select, references.nodeKinds[group] != nil {
                    log.error("`select` picks a member of a node group, and `\(group)` is a single node", at: select.node,
                              path: select.path, hint: "remove `select`, or give `\(group)` a `count`")
                }
                continue
            }
            guard let select = placement.select else {
                log.error("`\(group)` is a node group of \(size) members: say how this placement picks one", at: placement.on.node,
                          path: placement.on.path,
                          hint: "add `select:` one of \(MemberSelection.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if select.name == MemberSelection.local.rawValue {
                for source in sources where source?.name != group {
                    let at = source ?? select
                    log.error("`select: local` runs each request on the member of `\(group)` it comes from, but "
                              + (source.map { "a workload comes from `\($0.name)`" } ?? "a workload has no `from`"),
                              at: at.node, path: at.path,
                              hint: "send every workload `from: \(group)`, or use `select: roundRobin` (or random, leastLoaded, powerOfTwo)")
                }
            } else if let source = sources.compactMap({ $0 }).first(where: { $0.name == group }) {
                log.error("requests from a member of `\(group)` would be served by another member, but a group's links join its members to other nodes, not to each other",
                          at: select.node, path: select.path,
                          hint: "use `select: local` (the workload at \(source.path)), or place the model on another node")
            }
        }
        for weights in references.sourceWeights {
            guard let source = weights.source else {
                log.error("`weights` spread a workload over the members of its source group, and this workload has no `from`",
                          at: weights.at.node, path: weights.at.path, hint: "add `from: GROUP`, or remove `weights`")
                continue
            }
            guard let size = references.groupSizes[source] else {
                if references.nodeKinds[source] != nil {
                    log.error("`weights` spread a workload over the members of its source group, and `\(source)` is a single node",
                              at: weights.at.node, path: weights.at.path, hint: "remove `weights`, or give `\(source)` a `count`")
                }
                continue
            }
            if weights.count != size {
                log.error("\(weights.count) weights for `\(source)`, a group of \(size) members: give one weight per member",
                          at: weights.at.node, path: weights.at.path)
            }
        }
    }

    /// A model that scales its service time `by: inFlight` counts the requests at the station it
    /// is served on; on a node group each member has its own station, which the simulator does
    /// not count per member yet: an error at the placement's `on`, not a silently wrong count.
    mutating func checkGroupScaling(models: [ModelSpec]) {
        for placement in references.placements where references.groupSizes[placement.on.name] != nil {
            guard let model = models.first(where: { $0.name == placement.model.name }),
                  model.serviceTimeScaling?.variable == .inFlight else { continue }
            log.error("model `\(model.name)` scales its service time `by: inFlight`, and `\(placement.on.name)` is a node group: the count per member is not simulated yet",
                      at: placement.on.node, path: placement.on.path,
                      hint: "scale `by: utilization`, or place the model on a single node")
        }
    }
}
