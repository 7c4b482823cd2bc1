// SPDX-License-Identifier: GPL-3.0-or-later

/// The names a scenario declares and the places that refer to them, gathered while decoding
/// and checked once every section has been read.
struct References {
    /// A name and the node where it is written.
    struct Name {
        var name: String
        var node: ScenarioNode
        var path: KeyPath
    }

    /// Declared models (nil if the `models` section could not be read).
    var models: [Name]?
    /// Declared nodes (nil if the `nodes` section could not be read).
    var nodes: [Name]?
    /// Model names used by the deployment.
    var placedModels: [Name] = []
    /// Node names used by the deployment.
    var placedNodes: [Name] = []
}

extension ScenarioDecoder {
    /// Cross-section checks: placements name declared models and nodes; every declared model
    /// is placed somewhere (only when the deployment itself could be read).
    mutating func checkReferences(deploymentDecoded: Bool) {
        check(uses: references.placedModels, against: references.models, what: "model", section: "models")
        check(uses: references.placedNodes, against: references.nodes, what: "node", section: "nodes")
        if deploymentDecoded, let models = references.models {
            let placed = Set(references.placedModels.map(\.name))
            for model in models where !placed.contains(model.name) {
                log.error("model `\(model.name)` is declared but placed nowhere", at: model.node, path: model.path,
                          hint: "place it in `deployment` or remove it")
            }
        }
    }

    private mutating func check(uses: [References.Name], against declared: [References.Name]?, what: String, section: String) {
        guard let declared else { return }
        let names = declared.map(\.name)
        for use in uses where !names.contains(use.name) {
            log.error("unknown \(what) `\(use.name)`" + Suggestion.didYouMean(use.name, among: names), at: use.node, path: use.path,
                      hint: names.isEmpty ? "declare it under `\(section)`" : "declared \(section): \(names.joined(separator: ", "))")
        }
    }
}
