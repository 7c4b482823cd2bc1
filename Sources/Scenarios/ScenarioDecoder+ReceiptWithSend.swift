// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// `call: {serverWorkStarts: withSend}` (docs/cost-models.md, "Receipt overlapping the
    /// send"): only on a pipeline stage after the first (its caller is the stage before it),
    /// with a `serverWork` to overlap, over `rest` or `grpc` without a connection pool, and with
    /// both ends single stations (the receipt is a job at the callee's one station, the send is
    /// the caller stage's job at its own). Each problem is located at the key.
    mutating func checkReceiptsWithSend(_ deployment: DeploymentSpec, protocols: [ProtocolSpec], nodes: [NodeSpec],
                                        models: [ModelSpec]) {
        let placements = deployment.placements
        for use in references.receiptsWithSend {
            guard case .pipeline = deployment, let stage = use.stage, stage >= 1, stage < placements.count else {
                let why = use.stage == 0
                    ? "the first stage is called by the workload's source, which runs no stage whose work could be the send"
                    : "only a pipeline stage after the first has a caller stage whose work is the send"
                log.error("`serverWorkStarts: withSend` overlaps a call's receipt with its caller's send, and \(why)",
                          at: use.key.node, path: use.key.path,
                          hint: "remove `serverWorkStarts` (the server's work then follows the call), or use it on a later stage of a pipeline")
                continue
            }
            let placement = placements[stage], caller = placements[stage - 1]
            let effective = ProtocolSpec.effective(via: placement.via, placement: placement.call, protocols: protocols)
            var refused: [String] = []
            if effective?.serverWork == nil { refused.append("the call has no `serverWork` to overlap") }
            if placement.via == .queue { refused.append("a `via: queue` message goes through the broker, not from the caller to the server") }
            if effective?.pooling != nil { refused.append("a pooled call may wait for a connection before its send") }
            for (role, name) in [("called", placement.node), ("calling", caller.node)] {
                guard let node = nodes.first(where: { $0.name == name }) else { continue }
                var what: [String] = []
                if node.count != nil { what.append("a node group (`count`)") }
                if node.autoscaling != nil { what.append("autoscaled") }
                if node.coldStart != nil { what.append("with `coldStart`") }
                if node.spot != nil { what.append("with `spot`") }
                let placed = placements.filter { $0.node == name }.compactMap { p in models.first { $0.name == p.model } }
                if let model = placed.first(where: { $0.batching != nil }) { what.append("hosting batching model `\(model.name)`") }
                if !what.isEmpty { refused.append("the \(role) node `\(name)` is \(what.joined(separator: ", "))") }
            }
            if !refused.isEmpty {
                log.error("`serverWorkStarts: withSend` on stage \(stage): " + refused.joined(separator: "; "),
                          at: use.key.node, path: use.key.path,
                          hint: "give the call a `serverWork` over `rest` or `grpc` without `poolSize`, between single FIFO, processor-sharing or hosted nodes; or remove `serverWorkStarts`")
            }
        }
    }
}
