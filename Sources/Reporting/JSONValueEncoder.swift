// SPDX-License-Identifier: GPL-3.0-or-later

/// Encodes `Encodable` documents (`Results.SummaryDocument`, ...) into `JSONValue`, keeping
/// object keys in the order they were encoded, so that a type's `CodingKeys` and `encode(to:)`
/// decide the file's bytes and `JSONValue.rendered()` keeps today's number formatting.
///
/// Doubles become `.double`, signed and small unsigned integers `.int`, `UInt` and `UInt64`
/// `.uint`. An `Optional` encoded with `encode(_:forKey:)` writes `null`; with
/// `encodeIfPresent` (what synthesized conformances use) the key is left out, or written as
/// `null` with `optionals: .null` (the resolved scenario, which shows every setting).
public enum JSONValueEncoder {
    /// What an absent optional encoded with `encodeIfPresent` becomes.
    public enum AbsentOptionals: Sendable {
        /// The key is left out (the summary and plan documents).
        case omitted
        /// The key is written with `null` (the resolved scenario).
        case null
    }

    public static func encode<T: Encodable>(_ value: T, optionals: AbsentOptionals = .omitted) throws -> JSONValue {
        let root = EncodedBox(writesAbsentAsNull: optionals == .null)
        try value.encode(to: BoxEncoder(box: root, codingPath: []))
        return root.value
    }
}

/// One value under construction.
private final class EncodedBox {
    enum Content { case unset, scalar(JSONValue), object([(String, EncodedBox)]), array([EncodedBox]) }
    var content = Content.unset
    /// `JSONValueEncoder.AbsentOptionals.null`, for this value and everything inside it.
    let writesAbsentAsNull: Bool

    init(writesAbsentAsNull: Bool) {
        self.writesAbsentAsNull = writesAbsentAsNull
    }

    var value: JSONValue {
        switch content {
        case .unset: .object([])
        case .scalar(let v): v
        case .object(let members): .object(members.map { ($0.0, $0.1.value) })
        case .array(let items): .array(items.map(\.value))
        }
    }

    // Both take the array out of `content` before appending (`content = .unset`), so that the
    // append does not copy it: n appends are O(n), not O(n²) (an empirical distribution of
    // 70,000 samples in a resolved scenario took a minute to encode).
    func child(forKey key: String) -> EncodedBox {
        guard case .object(var members) = content else {
            let box = EncodedBox(writesAbsentAsNull: writesAbsentAsNull)
            content = .object([(key, box)])
            return box
        }
        if let found = members.first(where: { $0.0 == key }) { return found.1 }
        content = .unset
        let box = EncodedBox(writesAbsentAsNull: writesAbsentAsNull)
        members.append((key, box))
        content = .object(members)
        return box
    }

    func appended() -> EncodedBox {
        let box = EncodedBox(writesAbsentAsNull: writesAbsentAsNull)
        guard case .array(var items) = content else {
            content = .array([box])
            return box
        }
        content = .unset
        items.append(box)
        content = .array(items)
        return box
    }

    var count: Int { if case .array(let items) = content { items.count } else { 0 } }
}

private struct StringKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

private struct BoxEncoder: Encoder {
    let box: EncodedBox
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .unset = box.content { box.content = .object([]) }
        return KeyedEncodingContainer(KeyedBoxContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unset = box.content { box.content = .array([]) }
        return UnkeyedBoxContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleBoxContainer(box: box, codingPath: codingPath)
    }
}

private struct KeyedBoxContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: EncodedBox
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.child(forKey: key.stringValue).content = .scalar(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]))
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encode(Boxed(value), forKey: key) }

    /// An absent optional: left out, or `null` when the encoder writes absent optionals.
    private mutating func encodeAbsent(forKey key: Key) throws {
        if box.writesAbsentAsNull { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeAbsent(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        BoxEncoder(box: box.child(forKey: "super"), codingPath: codingPath + [StringKey(stringValue: "super")])
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        BoxEncoder(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedBoxContainer: UnkeyedEncodingContainer {
    let box: EncodedBox
    var codingPath: [any CodingKey]
    var count: Int { box.count }

    private var nextPath: [any CodingKey] { codingPath + [StringKey(intValue: box.count)] }

    mutating func encodeNil() throws { box.appended().content = .scalar(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try value.encode(to: BoxEncoder(box: box.appended(), codingPath: path))
    }
    mutating func encode(_ value: Bool) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: String) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Double) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Float) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Int) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Int8) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Int16) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Int32) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: Int64) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: UInt) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: UInt8) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: UInt16) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: UInt32) throws { try encode(Boxed(value)) }
    mutating func encode(_ value: UInt64) throws { try encode(Boxed(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return BoxEncoder(box: box.appended(), codingPath: path).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        return BoxEncoder(box: box.appended(), codingPath: path).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return BoxEncoder(box: box.appended(), codingPath: path)
    }
}

private struct SingleBoxContainer: SingleValueEncodingContainer {
    let box: EncodedBox
    var codingPath: [any CodingKey]

    private func put(_ value: JSONValue) { box.content = .scalar(value) }
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Float) throws { put(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.int(value)) }
    mutating func encode(_ value: UInt) throws { put(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.uint(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: BoxEncoder(box: box, codingPath: codingPath))
    }
}

/// A primitive routed through `SingleBoxContainer`, so that every container writes numbers in one place.
private struct Boxed<P: Encodable>: Encodable {
    let value: P
    init(_ value: P) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
