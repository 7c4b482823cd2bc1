// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let deploymentKinds = ["single", "pipeline", "collaborative", "distributed", "cascade"]
    /// Kinds of the scenario format that the simulator cannot run yet.
    static let unsupportedDeploymentKinds: Set<String> = ["collaborative", "distributed", "cascade"]
    static let placementKeys = ["model", "on"]

    /// `deployment: {kind: single, model, on}` or `{kind: pipeline, stages: [{model, on}, ...]}`.
    mutating func decodeDeployment(_ node: ScenarioNode, path: KeyPath) -> DeploymentSpec? {
        guard case .mapping(let entries) = node.content else {
            log.error("expected a mapping such as `{kind: single, model: m, on: s}`, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        // The kind decides the other keys, so it is read first.
        guard let kindNode = entries.first(where: { $0.key.scalarText == "kind" })?.value else {
            log.error("required key `kind` is missing", at: node, path: path,
                      hint: "one of \(Self.deploymentKinds.joined(separator: ", "))")
            return nil
        }
        guard let kind = choice(kindNode, path: path.appending("kind"), among: Self.deploymentKinds, what: "deployment kind") else {
            return nil
        }
        if Self.unsupportedDeploymentKinds.contains(kind) {
            log.error("deployment kind `\(kind)` is part of the scenario format but cannot be simulated yet",
                      at: kindNode, path: path.appending("kind"), hint: "supported now: single, pipeline")
            return nil
        }
        switch kind {
        case "single":
            guard let reader = MappingReader(node, path: path, keys: ["kind"] + Self.placementKeys, log: &log),
                  let placement = decodePlacement(reader, path: path) else { return nil }
            return .single(placement)
        default:  // pipeline
            guard let reader = MappingReader(node, path: path, keys: ["kind", "stages"], log: &log),
                  let stagesNode = reader.required("stages", log: &log, hint: "e.g. `stages: [{model: m1, on: s1}, {model: m2, on: s2}]`"),
                  let stages = sequence(stagesNode, path: path.appending("stages"), minimum: 1, what: "stages")
            else { return nil }
            var placements: [Placement] = []
            var complete = true
            for (index, stage) in stages.enumerated() {
                let stagePath = path.appending("stages").appending(index: index)
                guard let reader = MappingReader(stage, path: stagePath, keys: Self.placementKeys, log: &log),
                      let placement = decodePlacement(reader, path: stagePath)
                else { complete = false; continue }
                placements.append(placement)
            }
            return complete ? .pipeline(placements) : nil
        }
    }

    /// `model: NAME, on: NODE`; records both names for the reference checks.
    private mutating func decodePlacement(_ reader: MappingReader, path: KeyPath) -> Placement? {
        let model = reader.required("model", log: &log).flatMap { node -> String? in
            let name = string(node, path: path.appending("model"))
            if let name { references.placedModels.append(.init(name: name, node: node, path: path.appending("model"))) }
            return name
        }
        let on = reader.required("on", log: &log).flatMap { node -> String? in
            let name = string(node, path: path.appending("on"))
            if let name { references.placedNodes.append(.init(name: name, node: node, path: path.appending("on"))) }
            return name
        }
        guard let model, let on else { return nil }
        return Placement(model: model, node: on)
    }
}
