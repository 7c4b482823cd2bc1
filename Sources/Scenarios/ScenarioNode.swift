// SPDX-License-Identifier: GPL-3.0-or-later

/// A located YAML tree: what the loader reads, and what `--set` overrides edit.
///
/// Converted once from Yams' `Node`, so that every node carries a full `SourceLocation`
/// (file included): values set by an override point at the override, not at the file.
struct ScenarioNode: Sendable {
    /// One `key: value` pair of a mapping, in file order.
    struct Entry: Sendable {
        var key: ScenarioNode
        var value: ScenarioNode
    }

    enum Content: Sendable {
        /// A scalar's text; `plain` is false for quoted and block scalars.
        case scalar(String, plain: Bool)
        case mapping([Entry])
        case sequence([ScenarioNode])
    }

    var content: Content
    var location: SourceLocation

    /// The scalar's text, or nil for mappings and sequences.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for an empty value, `~` or `null` written plainly.
    var isNull: Bool {
        if case .scalar(let text, let plain) = content, plain {
            return ["", "~", "null", "Null", "NULL"].contains(text)
        }
        return false
    }

    /// Words for the kind of node, used in "expected a mapping, got …".
    var kindDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let text, _):
            isNull ? "nothing" : Diagnostic.quoted(text)
        }
    }
}
