// SPDX-License-Identifier: GPL-3.0-or-later

/// An optional figure a document always writes: its value, or `null` when absent. (A plain
/// `Optional` property is left out by synthesized `Encodable` conformances.)
public struct Nullable<Wrapped: Encodable>: Encodable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
