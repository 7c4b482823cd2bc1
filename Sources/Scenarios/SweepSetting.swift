// SPDX-License-Identifier: GPL-3.0-or-later

/// One `KEY.PATH: VALUE` setting of a sweep point, as written in the file's `sweep:` section.
struct SweepSetting: Sendable {
    /// The dotted key path (`workload.0.arrivals.rate`).
    var keyPath: String
    /// Where the key path is written: problems with the path are located here.
    var keyLocation: SourceLocation
    /// The value, located where it is written (a range's values at the range).
    var value: ScenarioNode

    /// `KEY.PATH=VALUE` in the file's own syntax, as `--set` takes it: the point's canonical text.
    var text: String { keyPath + "=" + Self.flowText(value) }

    /// A value as one line of flow YAML: plain scalars as written, quoted ones double-quoted,
    /// mappings `{k: v, ...}` and lists `[a, ...]`.
    static func flowText(_ node: ScenarioNode) -> String {
        switch node.content {
        case .scalar(let text, let plain):
            if plain { return text }
            var quoted = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                case "\t": quoted += "\\t"
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        case .mapping(let entries):
            return "{" + entries.map { flowText($0.key) + ": " + flowText($0.value) }.joined(separator: ", ") + "}"
        case .sequence(let items):
            return "[" + items.map(flowText).joined(separator: ", ") + "]"
        }
    }
}
