// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// The time a new instance of an autoscaled pool takes to pull its models' artifacts from a
/// repository node (docs/cost-models.md, "Autoscaling"): the artifacts of the distinct
/// models placed on the pool, B bytes in all, cross the path of links from the repository,
/// each hop taking its mean latency + 8·B / bandwidth (no bandwidth: no serialization time).
/// Deterministic (link means), so pulls draw no random numbers from the links' streams.
/// Without links, moving takes no time (as for requests): the pull takes 0 s.
enum ImagePull {
    static func seconds(to node: NodeSpec, from repository: String, config: ScenarioConfig) throws -> Double {
        let models = Set(config.deployment.placements.filter { $0.node == node.name }.map(\.model))
        var bytes = 0.0
        for name in models.sorted() {
            guard let artifact = config.models.first(where: { $0.name == name })?.artifactBytes else {
                throw SimulationBuildError("pool `\(node.name)` pulls from `\(repository)`: model `\(name)` needs an `artifact` size")
            }
            bytes += artifact
        }
        return try seconds(bytes: bytes, to: node, from: repository, config: config)
    }

    /// The time `bytes` take from `repository` to `node` over the links (0 s without links).
    static func seconds(bytes: Double, to node: NodeSpec, from repository: String, config: ScenarioConfig) throws -> Double {
        guard !config.links.isEmpty else { return 0 }
        let paths = try NetworkPaths(nodes: config.nodes.map(\.name), links: config.links, routes: config.routes)
        guard let hops = paths.path(from: repository, to: node.name) else {
            throw SimulationBuildError("pool `\(node.name)` pulls from `\(repository)`, but no chain of links joins them")
        }
        return hops.reduce(0) { total, hop in
            let link = config.links[hop.link]
            return total + link.latency.mean + (link.bandwidthBitsPerSecond.map { bytes * 8 / $0 } ?? 0)
        }
    }
}
