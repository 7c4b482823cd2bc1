// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

extension ScenarioDecoder {
    static let sweepKeys = ["grid", "points"]
    static let sweepRangeKeys = ["from", "to", "step"]
    /// The most points a sweep may have.
    static let maxSweepPoints = 100_000

    /// `sweep: {grid: {KEY.PATH: [v, ...] | {from, to, step}, ...}}` (the cartesian product, the
    /// first key varying slowest) or `sweep: {points: [{KEY.PATH: v, ...}, ...]}`. Only the shape
    /// is checked here; each point's values are checked when the point is applied
    /// (`ScenarioLoader.loadSweep`). Returns the settings of every point, in point order.
    mutating func decodeSweep(_ node: ScenarioNode, path: KeyPath) -> [[SweepSetting]]? {
        guard let reader = MappingReader(node, path: path, keys: Self.sweepKeys,
                                         what: "a mapping with `grid:` or `points:`", log: &log) else { return nil }
        let before = log.count
        var points: [[SweepSetting]] = []
        switch (reader["grid"], reader["points"]) {
        case (let grid?, nil):
            points = decodeSweepGrid(grid, path: path.appending("grid")) ?? []
        case (nil, let list?):
            points = decodeSweepPoints(list, path: path.appending("points")) ?? []
        case (.some, .some):
            log.error("`grid` and `points` are both set: set exactly one", at: node, path: path)
        case (nil, nil):
            break
        case (nil, nil) where log.count == before:  // not after "unknown key `grids`"
            log.error("needs `grid` or `points`", at: node, path: path,
                      hint: "e.g. `sweep: {grid: {workload.0.arrivals.rate: [20/s, 40/s]}}`")
        }
        guard log.count == before else { return nil }
        if points.count > Self.maxSweepPoints {
            log.error("has \(points.count) points: at most \(Self.maxSweepPoints) are allowed", at: node, path: path)
            return nil
        }
        var seen: [String: Int] = [:]
        for (index, point) in points.enumerated() {
            let text = point.map(\.text).joined(separator: " ")
            if let first = seen[text] {
                log.error("point \(index) repeats point \(first) (`\(text)`)", at: point.first?.value.location ?? node.location,
                          path: path, hint: "each point must differ: its seed derives from its settings")
            } else {
                seen[text] = index
            }
        }
        return log.count == before ? points : nil
    }

    private mutating func decodeSweepGrid(_ node: ScenarioNode, path: KeyPath) -> [[SweepSetting]]? {
        guard case .mapping(let entries) = node.content, !entries.isEmpty else {
            log.error("expected a mapping of key paths to value lists such as `{run.replications: [3, 5]}`, got \(node.kindDescription)",
                      at: node, path: path)
            return nil
        }
        var axes: [[SweepSetting]] = []
        for (name, entry) in MappingReader.namedEntries(entries, path: path, log: &log) {
            guard checkSweepKeyPath(name, at: entry.key, path: path) else { continue }
            let here = path.appending(name)
            let values: [ScenarioNode]
            switch entry.value.content {
            case .sequence(let items) where !items.isEmpty: values = items
            case .mapping: values = sweepRange(entry.value, path: here) ?? []
            case .sequence:
                log.error("is empty: at least one value is needed", at: entry.value, path: here)
                values = []
            default:
                log.error("expected a list of values or a range `{from: ..., to: ..., step: ...}`, got \(entry.value.kindDescription)",
                          at: entry.value, path: here)
                values = []
            }
            axes.append(values.map { SweepSetting(keyPath: name, keyLocation: entry.key.location, value: $0) })
        }
        guard !axes.contains(where: \.isEmpty) else { return nil }
        let total = axes.reduce(1.0) { $0 * Double($1.count) }
        guard total <= Double(Self.maxSweepPoints) else {
            log.error("has \(Self.format(total)) points: at most \(Self.maxSweepPoints) are allowed", at: node, path: path)
            return nil
        }
        return axes.reduce([[]]) { points, axis in points.flatMap { point in axis.map { point + [$0] } } }
    }

    private mutating func decodeSweepPoints(_ node: ScenarioNode, path: KeyPath) -> [[SweepSetting]]? {
        guard let items = sequence(node, path: path, minimum: 1, what: "points") else { return nil }
        var points: [[SweepSetting]] = []
        for (index, item) in items.enumerated() {
            let here = path.appending(index: index)
            guard case .mapping(let entries) = item.content else {
                log.error("expected a mapping of key paths to values such as `{run.replications: 3}`, got \(item.kindDescription)",
                          at: item, path: here)
                continue
            }
            var point: [SweepSetting] = []
            for (name, entry) in MappingReader.namedEntries(entries, path: here, log: &log)
            where checkSweepKeyPath(name, at: entry.key, path: here) {
                point.append(SweepSetting(keyPath: name, keyLocation: entry.key.location, value: entry.value))
            }
            points.append(point)
        }
        return points
    }

    /// A key path may not be empty, have empty segments, or point into `sweep`, `plan` or `include`.
    mutating func checkSweepKeyPath(_ name: String, at key: ScenarioNode, path: KeyPath, what: String = "a sweep") -> Bool {
        let segments = name.split(separator: ".", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) {
            log.error("`\(name)` is not a key path: keys and list indices joined by `.`", at: key, path: path,
                      hint: "e.g. `workload.0.arrivals.rate`")
            return false
        }
        if let first = segments.first, ["sweep", "plan", "include"].contains(String(first)) {
            log.error("\(what) cannot set `\(first)`", at: key, path: path)
            return false
        }
        return true
    }

    /// The values of `{from: A, to: B, step: S}`: A, A+S, ... up to B, written with the unit of A
    /// (`10/s`, `$0.5/h`, or plain numbers), with as many decimals as A and S have.
    mutating func sweepRange(_ node: ScenarioNode, path: KeyPath) -> [ScenarioNode]? {
        guard let reader = MappingReader(node, path: path, keys: Self.sweepRangeKeys, log: &log) else { return nil }
        var parts: [(value: Double, decimals: Int, prefix: String, unit: String)] = []
        for key in Self.sweepRangeKeys {
            guard let value = reader.required(key, log: &log) else { return nil }
            guard let part = Self.rangeNumber(value) else {
                log.error("expected a number with an optional unit such as `10/s` or `2ms`, got \(value.kindDescription)",
                          at: value, path: path.appending(key), hint: "write range bounds in plain decimals, without exponents")
                return nil
            }
            parts.append(part)
        }
        let (from, to, step) = (parts[0], parts[1], parts[2])
        for (key, part) in zip(Self.sweepRangeKeys, parts) where part.prefix != from.prefix || part.unit != from.unit {
            let unit = { (p: (value: Double, decimals: Int, prefix: String, unit: String)) in
                p.prefix.isEmpty && p.unit.isEmpty ? "no unit" : "unit `\(p.prefix)…\(p.unit)`" }
            log.error("has \(unit(part)) but `from` has \(unit(from)): write `from`, `to` and `step` in the same unit",
                      at: reader[key]!, path: path.appending(key))
            return nil
        }
        guard step.value > 0 else {
            log.error("`step` must be greater than 0", at: reader["step"]!, path: path.appending("step"))
            return nil
        }
        guard to.value >= from.value else {
            log.error("`to` must be at least `from`", at: reader["to"]!, path: path.appending("to"))
            return nil
        }
        let count = Int(((to.value - from.value) / step.value + 1e-9).rounded(.down)) + 1
        guard count <= Self.maxSweepPoints else {
            log.error("gives \(count) values: at most \(Self.maxSweepPoints) are allowed", at: node, path: path)
            return nil
        }
        let decimals = max(from.decimals, step.decimals)
        return (0..<count).map { k in
            let text = String(format: "%.\(decimals)f", from.value + Double(k) * step.value)
            return ScenarioNode(content: .scalar(from.prefix + text + from.unit, plain: true), location: node.location)
        }
    }

    /// `$0.5/h` → (0.5, 1 decimal, "$", "/h"); nil unless a plain decimal (no exponent) leads.
    private static func rangeNumber(_ node: ScenarioNode) -> (value: Double, decimals: Int, prefix: String, unit: String)? {
        guard let text = node.scalarText, !node.isNull else { return nil }
        let prefix = text.hasPrefix("$") ? "$" : ""
        guard let (value, literal, rest) = NumberLiteral.leadingNumber(text.dropFirst(prefix.count)),
              !literal.contains("e"), !literal.contains("E"), value.isFinite else { return nil }
        let decimals = literal.firstIndex(of: ".").map { literal.distance(from: $0, to: literal.endIndex) - 1 } ?? 0
        return (value, decimals, prefix, String(rest).trimmingCharacters(in: .whitespaces))
    }
}
