// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// A collaborative deployment's front work (`dispatchWork`, `sendWork`, `fusion.readWork`,
    /// `fusion.work`) is jobs at its node's station, so that node must have one: a server,
    /// cloud or edge node that is a single station (no node group, autoscaling, cold starts or
    /// spot, no hardware with a thermal limit, which such a station does not simulate) and hosts
    /// no batching model. Reported at the work's key, with the node's name.
    mutating func checkFrontWork(nodes: [NodeSpec], models: [ModelSpec], hardware: [HardwareSpec], deployment: DeploymentSpec) {
        for work in references.frontWorks {
            let node = work.node
            let (what, instead) = Self.frontWorkWords(key: work.key.name)
            if let kind = references.nodeKinds[node], Self.kindsWithoutModels.contains(kind) {
                log.error("\(what) is served on `\(node)`'s worker, and `\(node)` is a `\(kind.rawValue)` node, which has none",
                          at: work.key.node, path: work.key.path,
                          hint: "make `\(node)` a `server`, `cloud` or `edge` node with a worker, or \(instead)")
                continue
            }
            guard let spec = nodes.first(where: { $0.name == node }) else { continue }
            var refused: [String] = []
            if spec.count != nil { refused.append("a node group (`count`)") }
            if spec.autoscaling != nil { refused.append("autoscaled") }
            if spec.coldStart != nil { refused.append("with `coldStart`") }
            if spec.spot != nil { refused.append("with `spot`") }
            if let device = spec.hardware, hardware.first(where: { $0.name == device })?.thermal != nil {
                refused.append("on hardware `\(device)` with a `thermal` limit")
            }
            let placed = deployment.placements.filter { $0.node == node }.compactMap { p in models.first { $0.name == p.model } }
            if let model = placed.first(where: { $0.batching != nil }) { refused.append("hosting batching model `\(model.name)`") }
            if !refused.isEmpty {
                log.error("\(what) is a job at one station, and node `\(node)` is \(refused.joined(separator: ", "))",
                          at: work.key.node, path: work.key.path,
                          hint: "serve the work on a single server node without these, or \(instead)")
            }
        }
    }

    /// How a front work key is named in an error, and what to do instead of it.
    private static func frontWorkWords(key: String) -> (what: String, instead: String) {
        switch key {
        case "work": ("`fusion.work`", "use `fusion.cost` for a delay")
        case "readWork": ("`fusion.readWork`", "drop `fusion.readWork` (an answer then counts when it arrives)")
        case "sendWork": ("`sendWork`", "drop `sendWork` (the branch calls then go out at once)")
        default: ("`dispatchWork`", "drop `dispatchWork` (the dispatch then takes no time)")
        }
    }
}
