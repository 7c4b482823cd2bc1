// SPDX-License-Identifier: GPL-3.0-or-later

/// A JSON object whose keys are names (nodes, models, branches, links), in a fixed order:
/// encoded in `entries` order, decoded in the file's order (with a decoder that keeps it,
/// such as `Reporting.JSONValueDecoder`).
public struct NamedValues<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var entries: [Entry]

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: Value
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    public init(_ entries: [(String, Value)]) {
        self.entries = entries.map { Entry(name: $0.0, value: $0.1) }
    }

    /// The value named `name`, if any.
    public subscript(name: String) -> Value? { entries.first { $0.name == name }?.value }

    private struct NameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: NameKey.self)
        entries = try container.allKeys.map { Entry(name: $0.stringValue, value: try container.decode(Value.self, forKey: $0)) }
    }

    /// Every entry is written, an optional value as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        for entry in entries { try container.encode(entry.value, forKey: NameKey(stringValue: entry.name)) }
    }
}
