// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Writes a located YAML tree back as block-style YAML that the loader reads to the same tree:
/// mappings as `key: value` lines, lists as `- item` lines, scalars plain when they were
/// written plain and double-quoted otherwise (`SweepSetting.flowText`'s escaping), empty
/// mappings and lists as `{}` and `[]`. Comments and anchors of the original are not kept.
enum ScenarioYAMLWriter {
    /// The YAML text of `node`, ending with a newline.
    static func text(_ node: ScenarioNode) -> String {
        var out = ""
        write(node, indent: 0, into: &out)
        return out
    }

    private static func write(_ node: ScenarioNode, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch node.content {
        case .mapping(let entries):
            for entry in entries {
                out += pad + SweepSetting.flowText(entry.key) + ":"
                writeValue(entry.value, indent: indent, into: &out)
            }
        case .sequence(let items):
            for item in items {
                switch item.content {
                case .mapping(let entries) where !entries.isEmpty:
                    // `- key: value` with the item's other keys aligned under the first.
                    var nested = ""
                    write(item, indent: indent + 2, into: &nested)
                    out += pad + "- " + nested.dropFirst(indent + 2)
                default:
                    out += pad + "-"
                    writeValue(item, indent: indent, into: &out)
                }
            }
        case .scalar:
            out += pad + SweepSetting.flowText(node) + "\n"
        }
    }

    /// The value after `key:` or `-`: inline when a scalar or empty, else on the lines below.
    private static func writeValue(_ value: ScenarioNode, indent: Int, into out: inout String) {
        switch value.content {
        case .mapping(let entries) where entries.isEmpty: out += " {}\n"
        case .sequence(let items) where items.isEmpty: out += " []\n"
        case .scalar: out += (value.isNull ? "" : " " + SweepSetting.flowText(value)) + "\n"
        default:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        }
    }
}
