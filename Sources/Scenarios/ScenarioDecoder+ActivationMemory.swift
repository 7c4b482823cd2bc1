// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Memory for in-flight requests (docs/cost-models.md, "Memory for in-flight batches"):
    /// on a node with a memory figure, one request of every placed model with
    /// `activationMemory` fits in what the resident models leave (else it could never be
    /// served), and such a node is not an autoscaled pool (not simulated). Nodes whose models
    /// do not fit at all are `checkMemory`'s.
    mutating func checkActivationMemory(nodes: [NodeSpec], hardware: [HardwareSpec], models: [ModelSpec]) {
        for node in nodes {
            guard let capacity = node.memoryBytes ?? node.hardware.flatMap({ name in hardware.first { $0.name == name }?.memoryBytes }),
                  let setting = references.memorySetting[node.name] else { continue }
            var placed: [ModelSpec] = []
            for placement in references.placements where placement.on.name == node.name
                && !placed.contains(where: { $0.name == placement.model.name }) {
                if let model = models.first(where: { $0.name == placement.model.name }) { placed.append(model) }
            }
            let resident = placed.reduce(0) { $0 + ($1.memoryBytes ?? 0) }
            let needing = placed.filter { ($0.activationBytes ?? 0) > 0 }
            guard resident <= capacity, !needing.isEmpty, node.coldStart == nil else { continue }
            if node.autoscaling != nil {
                log.error("memory for in-flight requests (`activationMemory` of \(needing.map { "`\($0.name)`" }.joined(separator: ", "))) is not simulated on an autoscaled pool such as `\(node.name)`",
                          at: setting.node, path: setting.path,
                          hint: "remove `activationMemory` from the model, or place it on a fixed node")
                continue
            }
            let left = capacity - resident
            for model in needing where model.activationBytes! > left {
                log.error("one request of `\(model.name)` needs \(Self.formatBytes(model.activationBytes!)) of activation memory, but `\(node.name)` has \(Self.formatBytes(left)) left after its resident models (\(Self.formatBytes(capacity)) − \(Self.formatBytes(resident)))",
                          at: setting.node, path: setting.path,
                          hint: "give the node more `memory`, lower `activationMemory`, or place the model elsewhere")
            }
        }
    }
}
