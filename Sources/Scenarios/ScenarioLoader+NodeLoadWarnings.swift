// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioLoader {
    /// A located warning for each node the scenario offers a load ρ ≥ 1 (`OfferedLoad`), at the
    /// node's entry under `nodes:` (the file's top when it cannot be found): `validate` and `run`
    /// print them like the overloaded-link warnings. A run of such a scenario is stopped early
    /// as unstable (docs/engine.md, "Stability detection").
    static func nodeLoadWarnings(root: ScenarioNode, config: ScenarioConfig) -> [Diagnostic] {
        var nodes: [ScenarioNode.Entry] = []
        if case .mapping(let entries) = root.content,
           let value = entries.first(where: { $0.key.scalarText == "nodes" })?.value,
           case .mapping(let declared) = value.content {
            nodes = declared
        }
        let overloaded = OfferedLoad.estimates(config).filter { $0.load >= 1 }
        // `warnings(for:)` words the same estimates, in the same order.
        return zip(overloaded, OfferedLoad.warnings(for: config)).map { estimate, message in
            Diagnostic(location: nodes.first { $0.key.scalarText == estimate.node }?.value.location ?? root.location,
                       keyPath: "nodes.\(estimate.node)", message: message, hint: nodeLoadHint, severity: .warning)
        }
    }

    static let nodeLoadHint = "add workers or instances, send it less work, or give it faster hardware; "
        + "a run stops early as unstable when its queue keeps growing"
}
