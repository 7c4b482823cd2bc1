// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

extension ScenarioDecoder {
    static let linkKeys = ["between", "latency", "jitter", "bandwidth", "loss", "sharing", "outages", "failures"]
    static let outageKeys = ["at", "for"]
    static let failureKeys = ["upTime", "downTime"]
    static let routeKeys = ["from", "to", "via"]

    /// `links: [{between: [A, B], latency: TIME DISTRIBUTION, jitter?: TIME DISTRIBUTION,
    /// bandwidth?, loss?, sharing?: fair | none, outages?: [{at: TIME, for: TIME}, ...],
    /// failures?: {upTime: TIME DISTRIBUTION, downTime: TIME DISTRIBUTION}}, ...]`.
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
                number($0, path: linkPath.appending("loss"), atLeast: 0, atMost: 0.99,
                       why: "loss is the probability that one attempt is lost; every attempt is simulated, and 0.99 already means 100 attempts per message on average")
            }
            let sharing = reader["sharing"].flatMap {
                choice($0, path: linkPath.appending("sharing"), among: BandwidthSharingMode.allCases.map(\.rawValue),
                       what: "bandwidth sharing")
            }.flatMap(BandwidthSharingMode.init(rawValue:))
            let outages = reader["outages"].map { decodeOutages($0, path: linkPath.appending("outages")) } ?? []
            let failures = reader["failures"].flatMap { decodeFailures($0, path: linkPath.appending("failures")) }
            let failuresOK = reader["failures"] == nil || failures != nil
            if let ends, let latency, jitterOK, let outages, failuresOK {
                links.append(LinkSpec(a: ends.0, b: ends.1, latency: latency, jitter: jitter,
                                      bandwidthBitsPerSecond: bandwidth, loss: loss ?? 0, sharing: sharing ?? .fair,
                                      outages: outages, failures: failures))
            }
        }
        return log.count == before ? links : nil
    }

    /// `outages: [{at: TIME, for: TIME}, ...]`: scheduled down periods, `at` ≥ 0 from the start
    /// of the run, `for` > 0; sorted by `at`, they must not overlap.
    private mutating func decodeOutages(_ node: ScenarioNode, path: KeyPath) -> [LinkOutage]? {
        guard let items = sequence(node, path: path, minimum: 0, what: "outages") else { return nil }
        let before = log.count
        var outages: [(outage: LinkOutage, node: ScenarioNode, path: KeyPath)] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let reader = MappingReader(item, path: itemPath, keys: Self.outageKeys, log: &log) else { continue }
            let start = reader.required("at", log: &log, hint: "when the link goes down, from the start of the run, e.g. `at: 2m`")
                .flatMap { quantity($0, path: itemPath.appending("at"), kind: .time, positive: false) }
            let duration = reader.required("for", log: &log, hint: "how long it stays down, e.g. `for: 30s`")
                .flatMap { quantity($0, path: itemPath.appending("for"), kind: .time, positive: true) }
            if let start, let duration { outages.append((LinkOutage(start: start, duration: duration), item, itemPath)) }
        }
        guard log.count == before else { return nil }
        let sorted = outages.enumerated().sorted { ($0.element.outage.start, $0.offset) < ($1.element.outage.start, $1.offset) }
            .map(\.element)
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.outage.start < earlier.outage.end {
            log.error("this outage (from \(Self.seconds(later.outage.start)) to \(Self.seconds(later.outage.end))) overlaps "
                      + "the one from \(Self.seconds(earlier.outage.start)) to \(Self.seconds(earlier.outage.end)) "
                      + "(\(earlier.path))", at: later.node, path: later.path,
                      hint: "merge them into one outage, or shorten the earlier one's `for`")
        }
        return log.count == before ? sorted.map(\.outage) : nil
    }

    /// A time in seconds as a short text for messages (`2.5 s`).
    private static func seconds(_ value: Double) -> String {
        "\(value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)) s"
    }

    /// `failures: {upTime: TIME DISTRIBUTION, downTime: TIME DISTRIBUTION}`, both with a mean > 0.
    private mutating func decodeFailures(_ node: ScenarioNode, path: KeyPath) -> LinkFailureProcess? {
        guard let reader = MappingReader(node, path: path, keys: Self.failureKeys, log: &log) else { return nil }
        func time(_ key: String, hint: String) -> Distribution? {
            guard let value = reader.required(key, log: &log, hint: hint),
                  let distribution = distribution(value, path: path.appending(key), kind: .time) else { return nil }
            guard distribution.mean > 0 else {
                log.error("`\(key)` must have a mean greater than 0", at: value, path: path.appending(key),
                          hint: key == "upTime" ? "a link that is never up cannot carry anything; remove the link instead"
                              : "a link that is never down needs no `failures`")
                return nil
            }
            return distribution
        }
        let up = time("upTime", hint: "time between failures, e.g. `upTime: {dist: exponential, mean: 2h}` (MTBF)")
        let down = time("downTime", hint: "time to repair, e.g. `downTime: {dist: exponential, mean: 5m}` (MTTR)")
        guard let up, let down else { return nil }
        return LinkFailureProcess(upTime: up, downTime: down)
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
