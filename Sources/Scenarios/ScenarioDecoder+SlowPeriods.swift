// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let slowPeriodsKeys = ["factor", "slow", "fast"]
    /// Largest slowdown accepted (a guard against a typo such as `factor: 115` for 1.15).
    static let maxSlowFactor = 100.0

    /// A node's `slowPeriods: {factor: F, slow: T_slow, fast: T_fast}` (docs/cost-models.md,
    /// "Slow periods"): F a plain number from 1 to `maxSlowFactor`, the mean sojourns times
    /// greater than 0. Only on nodes simulated as one FIFO station of their own: not on a
    /// client, broker or repository, nor with `concurrency: {model: processorSharing}`, `host`, `count`, `autoscaling`,
    /// `coldStart` or `spot` (`checkFIFOWorkerPlacements` checks the models placed on it).
    /// Every problem is logged at its key; nil on errors.
    mutating func decodeNodeSlowPeriods(reader: MappingReader, kind: NodeKind?, sharesCores: Bool, path: KeyPath) -> SlowPeriodsSpec? {
        guard let value = reader["slowPeriods"], let keyNode = reader.keyNode("slowPeriods") else { return nil }
        let slowPath = path.appending("slowPeriods")
        if let kind, Self.kindsWithoutModels.contains(kind) {
            log.error("a `\(kind.rawValue)` node runs no models, so it has no services to slow", at: keyNode,
                      path: slowPath, hint: "remove `slowPeriods`, or put it on the server that runs the model")
            return nil
        }
        if sharesCores {
            log.error("`slowPeriods` is simulated on FIFO workers only; this node shares its cores (`concurrency: {model: processorSharing}`)",
                      at: keyNode, path: slowPath, hint: "remove `slowPeriods`, or the node's `concurrency`")
            return nil
        }
        let refusals = [
            ("host", "a node on a shared host is paced by the host's cores"),
            ("count", "a node group's members would each need their own slow periods"),
            ("autoscaling", "an autoscaled pool's instances come and go"),
            ("coldStart", "such a node is a batching station, not FIFO workers"),
            ("spot", "such a node is a batching station, not FIFO workers"),
        ]
        for (key, why) in refusals where reader.keyNode(key) != nil {
            log.error("`slowPeriods` is simulated on a node's own FIFO workers only, and cannot go with `\(key)`: \(why)",
                      at: keyNode, path: slowPath, hint: "remove `slowPeriods` or `\(key)`")
            return nil
        }
        return decodeSlowPeriods(value, path: slowPath)
    }

    /// `{factor: F, slow: T_slow, fast: T_fast}`.
    mutating func decodeSlowPeriods(_ node: ScenarioNode, path: KeyPath) -> SlowPeriodsSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.slowPeriodsKeys, log: &log) else { return nil }
        let example = "e.g. `slowPeriods: {factor: 1.25, slow: 500ms, fast: 6s}` (slowdown, mean slow and fast sojourns)"
        let factorNode = reader.required("factor", log: &log, hint: example)
        let slowNode = reader.required("slow", log: &log, hint: example)
        let fastNode = reader.required("fast", log: &log, hint: example)
        let factor = factorNode.flatMap {
            number($0, path: path.appending("factor"), atLeast: 1, atMost: Self.maxSlowFactor,
                   why: "a service started in a slow period takes `factor` times its drawn time",
                   hint: "write the slowdown as a ratio, e.g. `1.25` for 25 % slower")
        }
        let slow = slowNode.flatMap { quantity($0, path: path.appending("slow"), kind: .time, positive: true) }
        let fast = fastNode.flatMap { quantity($0, path: path.appending("fast"), kind: .time, positive: true) }
        guard let factor, let slow, let fast else { return nil }
        return SlowPeriodsSpec(factor: factor, slowSeconds: slow, fastSeconds: fast)
    }
}
