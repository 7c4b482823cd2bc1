// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The path a message takes between two nodes: explicit routes first, otherwise the path of
/// least mean latency over the links (Dijkstra; ties keep the first path found, scanning links
/// in file order, so the choice is deterministic). Paths are computed when first asked for and
/// cached per source node, so only the pairs a deployment uses cost anything.
final class NetworkPaths {
    /// One traversal of a link in a direction.
    struct Hop: Equatable {
        var link: Int
        /// True when the message goes from the link's `b` to its `a`.
        var reversed: Bool
    }

    private let nodeIndex: [String: Int]
    private let adjacency: [[(to: Int, hop: Hop)]]
    private let meanLatency: [Double]
    /// Explicit routes, both directions, by (from, to).
    private var explicit: [Int: [Int: [Hop]]] = [:]
    /// Shortest paths from a source to every node (nil when unreachable), computed on demand.
    private var fromSource: [Int: [[Hop]?]] = [:]

    /// Whether the scenario has a network at all (without links, network time is zero).
    let hasLinks: Bool

    init(nodes: [String], links: [LinkSpec], routes: [RouteSpec]) throws {
        var index: [String: Int] = [:]
        for (i, name) in nodes.enumerated() { index[name] = i }
        nodeIndex = index
        hasLinks = !links.isEmpty
        let n = nodes.count
        // Adjacency: for each node, (neighbour, link, reversed).
        var adjacency = [[(to: Int, hop: Hop)]](repeating: [], count: n)
        for (l, link) in links.enumerated() {
            guard let a = index[link.a], let b = index[link.b] else {
                throw SimulationBuildError("link \(l) joins an unknown node (`\(link.a)`–`\(link.b)`)")
            }
            adjacency[a].append((b, Hop(link: l, reversed: false)))
            adjacency[b].append((a, Hop(link: l, reversed: true)))
        }
        self.adjacency = adjacency
        meanLatency = links.map(\.latency.mean)
        for route in routes {
            let names = [route.from] + route.via + [route.to]
            var hops: [Hop] = []
            for (x, y) in zip(names, names.dropFirst()) {
                guard let i = index[x], let j = index[y] else {
                    throw SimulationBuildError("route \(route.from)→\(route.to) names an unknown node")
                }
                guard let step = adjacency[i].filter({ $0.to == j }).min(by: { $0.hop.link < $1.hop.link }) else {
                    throw SimulationBuildError("route \(route.from)→\(route.to): no link between `\(x)` and `\(y)`")
                }
                hops.append(step.hop)
            }
            guard let from = index[route.from], let to = index[route.to] else { continue }
            explicit[from, default: [:]][to] = hops
            explicit[to, default: [:]][from] = hops.reversed().map { Hop(link: $0.link, reversed: !$0.reversed) }
        }
    }

    /// The hops from `from` to `to`; nil when no path exists (or a name is unknown).
    func path(from: String, to: String) -> [Hop]? {
        guard let i = nodeIndex[from], let j = nodeIndex[to] else { return nil }
        if let route = explicit[i]?[j] { return route }
        if fromSource[i] == nil { fromSource[i] = shortestPaths(from: i) }
        return fromSource[i]![j]
    }

    private func shortestPaths(from source: Int) -> [[Hop]?] {
        let n = adjacency.count
        var distance = [Double](repeating: .infinity, count: n)
        var previous = [(node: Int, hop: Hop)?](repeating: nil, count: n)
        var done = [Bool](repeating: false, count: n)
        distance[source] = 0
        for _ in 0..<n {
            // O(n²) Dijkstra per source node actually used: fine for hundreds of nodes.
            var best = -1
            for v in 0..<n where !done[v] && distance[v].isFinite && (best < 0 || distance[v] < distance[best]) {
                best = v
            }
            if best < 0 { break }
            done[best] = true
            for edge in adjacency[best] {
                let candidate = distance[best] + meanLatency[edge.hop.link]
                if candidate < distance[edge.to] {
                    distance[edge.to] = candidate
                    previous[edge.to] = (best, edge.hop)
                }
            }
        }
        return (0..<n).map { target in
            if target == source { return [] }
            guard distance[target].isFinite else { return nil }
            var hops: [Hop] = []
            var node = target
            while let step = previous[node] {
                hops.append(step.hop)
                node = step.node
            }
            return hops.reversed()
        }
    }
}
