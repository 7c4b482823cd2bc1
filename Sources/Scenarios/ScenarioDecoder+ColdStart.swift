// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let coldStartKeys = ["resident", "loadTime", "loadFrom", "diskBandwidth"]

    /// A node's `coldStart: {resident: [MODEL...], loadTime, loadFrom, diskBandwidth}`, all
    /// optional. `resident` names are checked against the node's placements, and the memory
    /// and load sources with the deployment (`checkColdStarts`).
    mutating func decodeColdStart(_ node: ScenarioNode, path: KeyPath, owner: String) -> ColdStartSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.coldStartKeys, log: &log) else { return nil }
        let before = log.count
        var spec = ColdStartSpec()
        if let value = reader["resident"] {
            if case .sequence(let items) = value.content {
                var names: [String] = []
                for (index, item) in items.enumerated() {
                    let itemPath = path.appending("resident").appending(index: index)
                    guard let name = string(item, path: itemPath) else { continue }
                    references.residentModels.append((node: owner, model: References.Name(name: name, node: item, path: itemPath)))
                    names.append(name)
                }
                spec.resident = names
            } else {
                log.error("expected a list of model names; got \(value.kindDescription)", at: value, path: path.appending("resident"),
                          hint: "e.g. `resident: [resnet50]`, or `resident: []` to start with no model loaded")
            }
        }
        spec.loadTime = reader["loadTime"].flatMap { distribution($0, path: path.appending("loadTime"), kind: .time) }
        if let value = reader["loadFrom"], let name = string(value, path: path.appending("loadFrom")) {
            let use = References.Name(name: name, node: value, path: path.appending("loadFrom"))
            references.nodeUses.append(use)
            references.repositoryUses.append(use)
            references.talks.append(.init(a: name, b: owner, why: "`\(owner)` loads its models from `\(name)`", at: use))
            spec.loadFrom = name
        }
        spec.diskBandwidthBitsPerSecond = reader["diskBandwidth"]
            .flatMap { quantity($0, path: path.appending("diskBandwidth"), kind: .bandwidth, positive: true) }
        return log.count == before ? spec : nil
    }

    /// Nodes with `coldStart`: the `resident` models are placed on the node and fit in its
    /// memory together; every model not resident at the start has a load time (`loadTime`,
    /// or an `artifact` with `loadFrom` or `diskBandwidth`); no `activationMemory` beside it.
    mutating func checkColdStarts(nodes: [NodeSpec], hardware: [HardwareSpec], models: [ModelSpec]) {
        for use in references.residentModels {
            let placed = references.placements.contains { $0.on.name == use.node && $0.model.name == use.model.name }
            if !placed {
                log.error("model `\(use.model.name)` is not placed on `\(use.node)`, so it cannot be resident there",
                          at: use.model.node, path: use.model.path, hint: "list models placed on the node")
            }
        }
        for node in nodes {
            guard let spec = node.coldStart, let setting = references.coldStartSetting[node.name] else { continue }
            var placed: [ModelSpec] = []
            for placement in references.placements where placement.on.name == node.name
                && !placed.contains(where: { $0.name == placement.model.name }) {
                if let model = models.first(where: { $0.name == placement.model.name }) { placed.append(model) }
            }
            let capacity = node.memoryBytes ?? node.hardware.flatMap { name in hardware.first { $0.name == name }?.memoryBytes }
            if let capacity, let resident = spec.resident {
                let bytes = placed.filter { resident.contains($0.name) }.reduce(0) { $0 + ($1.memoryBytes ?? 0) }
                if bytes > capacity {
                    log.error("the resident models of `\(node.name)` need \(Self.formatBytes(bytes)) but it has \(Self.formatBytes(capacity))",
                              at: setting.node, path: setting.path.appending("resident"), hint: "list fewer models as `resident`")
                }
            }
            if capacity != nil, let model = placed.first(where: { ($0.activationBytes ?? 0) > 0 }) {
                log.error("cold starts and `activationMemory` (model `\(model.name)`) on one node are not simulated together",
                          at: setting.node, path: setting.path, hint: "remove `activationMemory`, or `coldStart`")
            }
            guard spec.loadTime == nil else { continue }
            let derived = spec.loadFrom != nil || spec.diskBandwidthBitsPerSecond != nil
            for model in placed where !(spec.resident?.contains(model.name) ?? false) && (!derived || model.artifactBytes == nil) {
                log.error(derived ? "model `\(model.name)` may need loading on `\(node.name)`, whose load time comes from the artifact, but it has no `artifact` size"
                              : "model `\(model.name)` may need loading on `\(node.name)`, which gives no way to time it",
                          at: setting.node, path: setting.path,
                          hint: derived ? "give model `\(model.name)` an `artifact` size, or the node a `loadTime`"
                              : "add `loadTime`, or `loadFrom: REPOSITORY` or `diskBandwidth` with the models' `artifact` sizes")
            }
        }
    }
}
