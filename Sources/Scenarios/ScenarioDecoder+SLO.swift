// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let sloKeys = ["latency", "accuracy", "cost", "edgePower"]
    /// Latency statistics named by a fixed key; percentiles are `pNN` or `pNN.N`.
    static let latencyStatisticKeys = ["mean", "max"]

    /// `slo: {latency: {p99: 200ms, mean: 100ms, ...}, accuracy: 0.9, cost: $5/h, edgePower: 20W}`.
    mutating func decodeSLO(_ node: ScenarioNode, path: KeyPath) -> SLOSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.sloKeys, log: &log) else { return nil }
        let before = log.count
        var spec = SLOSpec()
        if let latency = reader["latency"] {
            spec.latency = decodeLatencyObjectives(latency, path: path.appending("latency"))
        }
        spec.accuracyFloor = reader["accuracy"].flatMap {
            number($0, path: path.appending("accuracy"), atLeast: 0, lowerOpen: true, atMost: 1,
                   why: "the accuracy floor is the least fraction of correct answers")
        }
        spec.costCeilingPerHour = reader["cost"].flatMap { quantity($0, path: path.appending("cost"), kind: .moneyRate, positive: true) }
        spec.edgePowerCeilingWatts = reader["edgePower"]
            .flatMap { quantity($0, path: path.appending("edgePower"), kind: .power, positive: true) }
        return log.count == before ? spec : nil
    }

    /// `latency: {STATISTIC: TIME}` in file order; each statistic once.
    private mutating func decodeLatencyObjectives(_ node: ScenarioNode, path: KeyPath) -> [LatencyObjective] {
        guard case .mapping(let entries) = node.content else {
            log.error("expected a mapping of latency statistics to bounds such as `{p99: 200ms}`, got \(node.kindDescription)",
                      at: node, path: path)
            return []
        }
        var objectives: [LatencyObjective] = []
        var seen: [LatencyStatistic: String] = [:]
        for (name, entry) in MappingReader.namedEntries(entries, path: path, log: &log) {
            guard let statistic = Self.latencyStatistic(name) else {
                let close = Suggestion.closest(to: name, among: Self.latencyStatisticKeys + ["p50", "p90", "p95", "p99", "p99.9"])
                log.error("unknown latency statistic `\(name)`" + (close.map { " (did you mean `\($0)`?)" } ?? ""), at: entry.key,
                          path: path.appending(name), hint: "use `mean`, `max`, or a percentile `pNN` or `pNN.N` with 0 < NN < 100, such as `p99`")
                continue
            }
            if let first = seen[statistic] {
                log.error("`\(name)` bounds the same statistic as `\(first)`", at: entry.key, path: path.appending(name),
                          hint: "keep one of them")
                continue
            }
            seen[statistic] = name
            if let bound = quantity(entry.value, path: path.appending(name), kind: .time, positive: true) {
                objectives.append(LatencyObjective(statistic: statistic, bound: bound))
            }
        }
        return objectives
    }

    /// `mean`, `max`, or `pNN` / `pNN.N` with 0 < NN < 100.
    static func latencyStatistic(_ key: String) -> LatencyStatistic? {
        switch key {
        case "mean": return .mean
        case "max": return .max
        default:
            guard key.hasPrefix("p") else { return nil }
            let digits = key.dropFirst()
            let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), (1...2).contains(parts[0].count),
                  parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let value = Double(digits), value > 0, value < 100
            else { return nil }
            return .percentile(value)
        }
    }
}
