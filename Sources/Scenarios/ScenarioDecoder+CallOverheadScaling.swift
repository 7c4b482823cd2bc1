// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Every call whose settings (`protocols:` entry under its placement's `call:`) carry a
    /// `callOverheadScaling` (docs/cost-models.md, "Load-dependent call overhead") has a
    /// `callOverhead` to scale, and a called node whose offered load is one number for the run:
    /// not an autoscaled or spot pool, whose instances change during it (a node group's load
    /// is its members' mean, as for `serviceTimeScaling`). `via: queue` is refused where the key
    /// is read. Each problem is located at the key that gives the call its scaling: the
    /// placement's `call.callOverheadScaling`, else `protocols.<p>.callOverheadScaling`.
    mutating func checkCallOverheadScaling(_ deployment: DeploymentSpec, protocols: [ProtocolSpec], nodes: [NodeSpec]) {
        let placements = deployment.placements
        let located = references.placements.count == placements.count ? references.placements : []
        for (index, placement) in placements.enumerated() {
            guard let via = placement.via,
                  let effective = ProtocolSpec.effective(via: via, placement: placement.call, protocols: protocols),
                  effective.callOverheadScaling != nil,
                  let key = (located.isEmpty ? nil : located[index].overheadScaling) ?? references.protocolOverheadScalings[via]
            else { continue }
            let call = "the `\(via.rawValue)` call to `\(placement.model)` on `\(placement.node)`"
            if effective.callOverhead == nil {
                log.error("`callOverheadScaling` scales each drawn `callOverhead`, and \(call) has none",
                          at: key.node, path: key.path,
                          hint: "add a `callOverhead` (e.g. `callOverhead: 1.2ms`) to the same entry or to `protocols.\(via.rawValue)`, or remove `callOverheadScaling`")
            }
            if let node = nodes.first(where: { $0.name == placement.node }), node.autoscaling != nil || node.spot != nil {
                log.error("`callOverheadScaling` takes the called node's offered load as one number for the run, and `\(node.name)` is \(node.autoscaling != nil ? "autoscaled" : "a spot pool"): its instances change during the run",
                          at: key.node, path: key.path,
                          hint: "remove `callOverheadScaling` from \(call), or give `\(node.name)` a fixed number of instances")
            }
        }
    }
}
