// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let wakeUpKeys = ["points"]
    /// Most points accepted (a guard against a runaway generated list).
    static let maxWakeUpPoints = 1_000

    /// A node's `wakeUp: {points: [[idle, extra], …]}` (docs/cost-models.md, "Wake-up after
    /// idle"): times with units, idle strictly increasing, both ≥ 0. Only on nodes that run
    /// models with FIFO workers: not on a client, broker or repository, nor with
    /// `concurrency: {model: processorSharing}`, `coldStart` or `spot` (those nodes are not
    /// simulated as FIFO workers; `checkFIFOWorkerPlacements` checks the models placed on it).
    /// Every problem is logged at its point; nil on errors.
    mutating func decodeNodeWakeUp(reader: MappingReader, kind: NodeKind?, sharesCores: Bool, path: KeyPath) -> WakeUpSpec? {
        guard let value = reader["wakeUp"], let keyNode = reader.keyNode("wakeUp") else { return nil }
        let wakeUpPath = path.appending("wakeUp")
        if let kind, Self.kindsWithoutModels.contains(kind) {
            log.error("a `\(kind.rawValue)` node runs no models, so it has no workers to wake", at: keyNode,
                      path: wakeUpPath, hint: "remove `wakeUp`, or put it on the server that runs the model")
            return nil
        }
        if sharesCores {
            log.error("`wakeUp` is simulated on FIFO workers only; this node shares its cores (`concurrency: {model: processorSharing}`)",
                      at: keyNode, path: wakeUpPath, hint: "remove `wakeUp`, or the node's `concurrency`")
            return nil
        }
        for key in ["coldStart", "spot"] where reader.keyNode(key) != nil {
            log.error("`wakeUp` cannot go with `\(key)`: such a node is not simulated as FIFO workers", at: keyNode,
                      path: wakeUpPath, hint: "remove `wakeUp` or `\(key)`")
            return nil
        }
        return decodeWakeUp(value, path: wakeUpPath)
    }

    /// `{points: [[idle, extra], …]}`: 1 to `maxWakeUpPoints` pairs of times.
    mutating func decodeWakeUp(_ node: ScenarioNode, path: KeyPath) -> WakeUpSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.wakeUpKeys, log: &log) else { return nil }
        let example = "e.g. `points: [[1ms, 0ms], [30ms, 0.3ms]]` (time idle before the job, extra time on the worker)"
        guard let pointsNode = reader.required("points", log: &log, hint: example) else { return nil }
        let pointsPath = path.appending("points")
        guard case .sequence(let items) = pointsNode.content, !items.isEmpty, items.count <= Self.maxWakeUpPoints else {
            log.error("expected a list of 1 to \(Self.maxWakeUpPoints) `[idle, extra]` pairs of times", at: pointsNode,
                      path: pointsPath, hint: example)
            return nil
        }
        let before = log.count
        var points: [WakeUpSpec.Point] = []
        var lastIdle: Double?
        for (index, item) in items.enumerated() {
            let itemPath = pointsPath.appending(String(index))
            guard case .sequence(let pair) = item.content, pair.count == 2 else {
                log.error("expected a pair `[idle, extra]` of times", at: item, path: itemPath, hint: example)
                continue
            }
            let idle = quantity(pair[0], path: itemPath.appending("0"), kind: .time, positive: false)
            let extra = quantity(pair[1], path: itemPath.appending("1"), kind: .time, positive: false)
            if let idle, let previous = lastIdle, !(idle > previous) {
                log.error("idle times must increase from point to point: \(Self.format(idle)) s follows \(Self.format(previous)) s",
                          at: pair[0], path: itemPath.appending("0"), hint: "list the points by increasing idle time, each once")
            }
            lastIdle = idle ?? lastIdle
            if let idle, let extra { points.append(.init(idle: idle, extra: extra)) }
        }
        guard log.count == before else { return nil }
        return WakeUpSpec(points: points)
    }

    /// Placements on nodes with a key simulated on FIFO workers one job at a time (`key`:
    /// `wakeUp`, `slowPeriods`; `has` says whether a node has it): their models must not batch
    /// or declare activation memory, and the node's hardware must have no thermal limit (such a
    /// node is a batching station, whose workers are not simulated one by one). Reported at the
    /// placement's `on`.
    mutating func checkFIFOWorkerPlacements(key: String, has: (NodeSpec) -> Bool, nodes: [NodeSpec],
                                            hardware: [HardwareSpec], models: [ModelSpec]) {
        for placement in references.placements {
            guard let node = nodes.first(where: { $0.name == placement.on.name }), has(node) else { continue }
            var problems: [String] = []
            if let model = models.first(where: { $0.name == placement.model.name }) {
                if model.batching != nil { problems.append("model `\(model.name)` batches") }
                if (model.activationBytes ?? 0) > 0 { problems.append("model `\(model.name)` declares activation memory") }
            }
            if let name = node.hardware, hardware.first(where: { $0.name == name })?.thermal != nil {
                problems.append("hardware `\(name)` has a thermal limit")
            }
            guard !problems.isEmpty else { continue }
            log.error("node `\(node.name)` has `\(key)`, but " + problems.joined(separator: " and ") + ": not simulated together",
                      at: placement.on.node, path: placement.on.path,
                      hint: "place the model on a node without `\(key)`, or remove `batching`, `activationMemory` or `thermal`")
        }
    }
}
