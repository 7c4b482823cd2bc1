// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let autoscalingKeys = ["min", "max", "metric", "target", "interval", "step", "cooldown", "scaleInDelay",
                                  "boot", "pullFrom", "modelLoad", "billingMinimum"]
    /// Longest autoscaling time setting, seconds (a guard against unit typos: 30 days).
    static let maxAutoscalingTime = 30.0 * 86_400

    /// A cloud pool's `autoscaling: {min, max, metric, target, interval, step, cooldown,
    /// scaleInDelay, boot, pullFrom, modelLoad, billingMinimum}`; only `max` is required, the
    /// rest default to `AutoscalingSpec`'s defaults. `pullFrom` names a repository node the
    /// pool must reach over links (recorded for the cross-section checks). The pool's `instances` (when given) must lie in
    /// [min, max]; without it the pool starts at `min`.
    mutating func decodeAutoscaling(_ node: ScenarioNode, path: KeyPath, pool: String, instances: Int?) -> AutoscalingSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.autoscalingKeys,
                                         what: "an autoscaling policy such as `{max: 8, target: 0.6}`", log: &log) else {
            return nil
        }
        let before = log.count
        let maxNode = reader.required("max", log: &log, hint: "the most instances the pool may run, e.g. `max: 8`")
        let maximum = maxNode.flatMap { integer($0, path: path.appending("max"), in: 1...Self.maxInstances) }
        let minimum = reader["min"].map { integer($0, path: path.appending("min"), in: 1...Self.maxInstances) } ?? 1
        var spec = AutoscalingSpec(min: minimum ?? 1, max: maximum ?? 1)
        if let minimum, let maximum, let maxNode, minimum > maximum {
            log.error("`max: \(maximum)` is below `min: \(minimum)`", at: maxNode, path: path.appending("max"),
                      hint: "the pool scales between min and max instances")
        } else if let minimum, let maximum, let instances, !(minimum...maximum).contains(instances) {
            log.error("the pool's `instances: \(instances)` (its initial count) is outside autoscaling's min...max = \(minimum)...\(maximum)",
                      at: node, path: path, hint: "set `instances` between min and max, or leave it out to start at min")
        }
        if let value = reader["metric"] {
            let choices = AutoscalingSpec.Metric.allCases.map(\.rawValue)
            if let name = choice(value, path: path.appending("metric"), among: choices, what: "autoscaling metric") {
                spec.metric = AutoscalingSpec.Metric(rawValue: name)!
            }
        }
        if let value = reader["target"] {
            let isUtilization = spec.metric == .utilization
            if let target = number(value, path: path.appending("target"), atLeast: 0, lowerOpen: true,
                                   atMost: isUtilization ? 1 : nil,
                                   why: isUtilization ? "a utilisation target is a fraction of busy worker-time" : nil) {
                spec.target = target
            }
        }
        func time(_ key: String, positive: Bool) -> Double? {
            guard let value = reader[key] else { return nil }
            guard let seconds = quantity(value, path: path.appending(key), kind: .time, positive: positive) else { return nil }
            guard seconds <= Self.maxAutoscalingTime else {
                log.error("`\(value.scalarText ?? "")` is out of range: at most 30 days", at: value, path: path.appending(key))
                return nil
            }
            return seconds
        }
        if let seconds = time("interval", positive: true) { spec.interval = seconds }
        if let seconds = time("cooldown", positive: false) { spec.cooldown = seconds }
        if let seconds = time("scaleInDelay", positive: false) { spec.scaleInDelay = seconds }
        if let seconds = time("billingMinimum", positive: false) { spec.billingMinimum = seconds }
        if let value = reader["step"], let step = integer(value, path: path.appending("step"), in: 1...Self.maxInstances) {
            spec.step = step
        }
        if let value = reader["boot"], let boot = distribution(value, path: path.appending("boot"), kind: .time) {
            spec.boot = boot
        }
        if let value = reader["modelLoad"], let load = distribution(value, path: path.appending("modelLoad"), kind: .time) {
            spec.modelLoad = load
        }
        if let value = reader["pullFrom"], let name = string(value, path: path.appending("pullFrom")) {
            let use = References.Name(name: name, node: value, path: path.appending("pullFrom"))
            references.nodeUses.append(use)
            references.repositoryUses.append(use)
            references.talks.append(.init(a: name, b: pool, why: "`\(pool)` pulls its image from `\(name)`", at: use))
            spec.pullFrom = name
        }
        return log.count == before ? spec : nil
    }
}
