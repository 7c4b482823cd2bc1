// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let linkKeys = ["between", "latency", "jitter", "bandwidth", "loss", "sharing"]
    static let routeKeys = ["from", "to", "via"]

    /// `links: [{between: [A, B], latency: TIME DISTRIBUTION, jitter?: TIME DISTRIBUTION,
    /// bandwidth?, loss?, sharing?: fair | none}, ...]`.
    mutating func decodeLinks(_ node: ScenarioNode, path: KeyPath) -> [LinkSpec]? {
        guard let items = sequence(node, path: path, minimum: 0, what: "links") else { return nil }
        let before = log.count
        var links: [LinkSpec] = []
        for (index, item) in items.enumerated() {
            let linkPath = path.appending(index: index)
            guard let reader = MappingReader(item, path: linkPath, keys: Self.linkKeys, log: &log) else { continue }
            let ends = reader.required("between", log: &log, hint: "the two nodes it joins, e.g. `between: [client, local-d]`")
                .flatMap { linkEnds($0, path: linkPath.appending("between")) }
            let latency = reader.required("latency", log: &log, hint: "one-way latency, e.g. `latency: 0.5ms`")
                .flatMap { distribution($0, path: linkPath.appending("latency"), kind: .time) }
            let jitter = reader["jitter"].flatMap { distribution($0, path: linkPath.appending("jitter"), kind: .time) }
            let jitterOK = reader["jitter"] == nil || jitter != nil
            let bandwidth = reader["bandwidth"].flatMap { quantity($0, path: linkPath.appending("bandwidth"), kind: .bandwidth, positive: true) }
            let loss = reader["loss"].flatMap {
                number($0, path: linkPath.appending("loss"), atLeast: 0, atMost: 1, upperOpen: true,
                       why: "loss is the probability that one attempt is lost (1 would lose every message)")
            }
            let sharing = reader["sharing"].flatMap {
                choice($0, path: linkPath.appending("sharing"), among: BandwidthSharingMode.allCases.map(\.rawValue),
                       what: "bandwidth sharing")
            }.flatMap(BandwidthSharingMode.init(rawValue:))
            if let ends, let latency, jitterOK {
                links.append(LinkSpec(a: ends.0, b: ends.1, latency: latency, jitter: jitter,
                                      bandwidthBitsPerSecond: bandwidth, loss: loss ?? 0, sharing: sharing ?? .fair))
            }
        }
        return log.count == before ? links : nil
    }

    /// `between: [A, B]`: two different node names.
    private mutating func linkEnds(_ node: ScenarioNode, path: KeyPath) -> (String, String)? {
        guard case .sequence(let items) = node.content, items.count == 2 else {
            var got = node.kindDescription
            if case .sequence(let items) = node.content { got = items.count == 1 ? "1 node" : "\(items.count) nodes" }
            log.error("expected a list of the two nodes the link joins, got \(got)", at: node, path: path,
                      hint: "e.g. `between: [client, local-d]`")
            return nil
        }
        let names = items.enumerated().map { index, item -> String? in
            guard let name = string(item, path: path.appending(index: index)) else { return nil }
            references.nodeUses.append(.init(name: name, node: item, path: path.appending(index: index)))
            return name
        }
        guard let a = names[0], let b = names[1] else { return nil }
        if a == b {
            log.error("the link joins `\(a)` to itself", at: items[1], path: path.appending(index: 1),
                      hint: "messages between models on one node need no link")
            return nil
        }
        return (a, b)
    }

    /// `routes: [{from, to, via: [HOP, ...]}, ...]`; each consecutive pair of the path from
    /// `from` through `via` to `to` must be joined by a link (checked when `links` decoded).
    mutating func decodeRoutes(_ node: ScenarioNode, path: KeyPath, links: [LinkSpec]?) -> [RouteSpec]? {
        guard let items = sequence(node, path: path, minimum: 0, what: "routes") else { return nil }
        let before = log.count
        var routes: [RouteSpec] = []
        for (index, item) in items.enumerated() {
            let routePath = path.appending(index: index)
            guard let reader = MappingReader(item, path: routePath, keys: Self.routeKeys, log: &log) else { continue }
            let itemBefore = log.count
            func nodeName(_ key: String) -> References.Name? {
                reader.required(key, log: &log).flatMap { value in
                    string(value, path: routePath.appending(key)).map { .init(name: $0, node: value, path: routePath.appending(key)) }
                }
            }
            let from = nodeName("from")
            var via: [References.Name]? = []
            if let viaNode = reader["via"] {
                via = sequence(viaNode, path: routePath.appending("via"), minimum: 0, what: "nodes").map { items in
                    items.enumerated().compactMap { i, hop in
                        string(hop, path: routePath.appending("via").appending(index: i))
                            .map { .init(name: $0, node: hop, path: routePath.appending("via").appending(index: i)) }
                    }
                }
            }
            let to = nodeName("to")
            guard let from, let via, let to, log.count == itemBefore else { continue }
            let hops = [from] + via + [to]
            references.nodeUses.append(contentsOf: hops)
            // Hops through undeclared nodes are reported as unknown nodes, not as missing links.
            let declared = Set((references.nodes ?? []).map(\.name))
            if let links {
                for (p, q) in zip(hops, hops.dropFirst())
                where declared.contains(p.name) && declared.contains(q.name) && !links.contains(where: { $0.joins(p.name, q.name) }) {
                    log.error("no link joins `\(p.name)` and `\(q.name)`, consecutive hops of this route", at: q.node, path: q.path,
                              hint: "add `{between: [\(p.name), \(q.name)], latency: ...}` to `links`, or route through linked nodes")
                }
            }
            routes.append(RouteSpec(from: from.name, to: to.name, via: via.map(\.name)))
        }
        return log.count == before ? routes : nil
    }
}
