// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

extension ScenarioDecoder {
    static let toleranceKeys = ["relative", "absolute"]

    /// `check: {latency_s.p99: {relative: 10%}, throughput_rps: {absolute: 0.5}}`: tolerances of
    /// `hybridsim check`, keyed by dotted `summary.json` paths, in file order.
    mutating func decodeCheck(_ node: ScenarioNode, path: KeyPath) -> [MetricTolerance] {
        guard case .mapping(let entries) = node.content, !entries.isEmpty else {
            log.error("expected a mapping of summary.json key paths to tolerances such as `{latency_s.p99: {relative: 10%}}`, "
                      + "got \(node.kindDescription)", at: node, path: path)
            return []
        }
        var tolerances: [MetricTolerance] = []
        for (metric, entry) in MappingReader.namedEntries(entries, path: path, log: &log) {
            let here = path.appending(metric)
            guard !metric.isEmpty, !metric.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
            else {
                log.error("`\(metric)` is not a summary.json key path", at: entry.key, path: here,
                          hint: "dotted keys such as `latency_s.p99` or `nodes.edge-e.utilization`")
                continue
            }
            let before = log.count
            guard let reader = MappingReader(entry.value, path: here, keys: Self.toleranceKeys,
                                             what: "a tolerance such as `{relative: 10%}` or `{absolute: 0.01}`", log: &log)
            else { continue }
            let relative = reader["relative"].flatMap { relativeTolerance($0, path: here.appending("relative")) }
            let absolute = reader["absolute"].flatMap {
                number($0, path: here.appending("absolute"), atLeast: 0, why: "a tolerance is a difference in the metric's unit")
            }
            guard log.count == before else { continue }
            guard relative != nil || absolute != nil else {
                log.error("names no tolerance", at: entry.value, path: here, hint: "write `relative: 10%` or `absolute: 0.01`, or both")
                continue
            }
            tolerances.append(MetricTolerance(metric: metric, relative: relative, absolute: absolute))
        }
        return tolerances
    }

    /// A percentage (`10%`) or a plain fraction (`0.1`), at least 0; returned as a fraction.
    private mutating func relativeTolerance(_ node: ScenarioNode, path: KeyPath) -> Double? {
        guard let text = node.scalarText, !node.isNull, text.hasSuffix("%") else {
            return number(node, path: path, atLeast: 0, why: "a relative tolerance is a fraction of the baseline (or write `10%`)")
        }
        guard let percent = NumberLiteral.number(String(text.dropLast()).trimmingCharacters(in: .whitespaces)),
              percent.isFinite, percent >= 0
        else {
            log.error("`\(text)` is not a percentage", at: node, path: path, hint: "write a percentage such as `10%` or a fraction such as `0.1`")
            return nil
        }
        return percent / 100
    }
}
