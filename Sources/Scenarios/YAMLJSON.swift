// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Yams

/// A YAML document as the JSON value a schema validator sees: mapping keys stay the text
/// written (YAML 1.1 would read a key `on` as `true`), scalars take Yams' types (integers,
/// floats, booleans, null, strings). Used to check scenario files against `ScenarioSchema`.
enum YAMLJSON {
    /// The JSON text of the single document in `yaml`.
    static func json(fromYAML yaml: String) throws -> Data {
        guard let node = try Yams.compose(yaml: yaml) else { return Data("null".utf8) }
        return try JSONSerialization.data(withJSONObject: value(node), options: [.sortedKeys, .fragmentsAllowed])
    }

    private static func value(_ node: Node) -> Any {
        switch node {
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, item) in mapping { object[key.string ?? ""] = value(item) }
            return object
        case .sequence(let sequence):
            return sequence.map(value)
        case .scalar:
            // The tag Yams resolved (quoted scalars stay strings).
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return NSNull()
            case .bool: return node.bool ?? node.string ?? ""
            case .int: return node.int ?? node.string ?? ""
            case .float: return node.float.flatMap { $0.isFinite ? $0 : nil } ?? node.string ?? ""
            default: return node.string ?? ""
            }
        case .alias:
            return node.string ?? ""
        }
    }
}
