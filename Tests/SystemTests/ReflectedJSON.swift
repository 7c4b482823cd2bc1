// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting

/// The old writer of `scenario.resolved.json`, kept as an independent reading of the typed
/// scenario for `ResolvedScenarioKeysTests`.
enum ReflectedJSON {
    /// Any value as JSON by reflection (`Mirror`): structs and tuples become objects in
    /// declaration order, enum cases without payload their name, enum cases with a payload
    /// `{case: payload}`, optionals `null` or their value, arrays arrays, dictionaries objects
    /// with sorted keys. A property named in `omittedWhenNil` is left out while it is nil, one in
    /// `omittedWhenEmpty` while it is empty (as the encoders leave them out).
    static func of(_ value: Any) -> JSONValue {
        switch value {
        case let x as Bool: return .bool(x)
        case let x as Int: return .int(Int64(x))
        case let x as Int64: return .int(x)
        case let x as Int32: return .int(Int64(x))
        case let x as UInt64: return .uint(x)
        case let x as UInt32: return .uint(UInt64(x))
        case let x as UInt: return .uint(UInt64(x))
        case let x as Double: return .double(x)
        case let x as Float: return .double(Double(x))
        case let x as String: return .string(x)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { of($0.value) } ?? .null
        case .collection, .set:
            let items = mirror.children.map { of($0.value) }
            return mirror.displayStyle == .set ? .array(items.sorted { $0.rendered() < $1.rendered() }) : .array(items)
        case .dictionary:
            let pairs: [(String, JSONValue)] = mirror.children.map { child in
                let pair = Array(Mirror(reflecting: child.value).children)
                let key = pair.first.map { String(describing: $0.value) } ?? ""
                return (key, pair.count > 1 ? of(pair[1].value) : .null)
            }
            return .object(pairs.sorted { $0.0 < $1.0 })
        case .enum:
            guard let payload = mirror.children.first else { return .string(String(describing: value)) }
            return .object([(payload.label ?? String(describing: value), of(payload.value))])
        case .struct, .class, .tuple:
            if mirror.children.isEmpty { return .string(String(describing: value)) }
            let hasLabels = mirror.children.allSatisfy { $0.label != nil && !$0.label!.hasPrefix(".") }
            guard hasLabels else { return .array(mirror.children.map { of($0.value) }) }
            return .object(mirror.children.compactMap { child in
                if omittedWhenNil.contains(child.label!), isNil(child.value) { return nil }
                if omittedWhenEmpty.contains(child.label!), (child.value as? [Any])?.isEmpty == true { return nil }
                return (child.label!, of(child.value))
            })
        default:
            return .string(String(describing: value))
        }
    }

    /// Options added to the scenario format whose absence must not change the resolved
    /// scenario's bytes (a scenario without them resolves as before they existed): left out
    /// while unset. `concurrency`, `wakeUp`, `host` and `slowPeriods` (nodes), `serverWork`, `serverWorkStarts` and `callOverheadScaling` (protocols), `serviceTimeScaling` (models),
    /// `dispatchWork`, `sendWork`, `work` and `readWork` (collaborative deployments and their fusion).
    static let omittedWhenNil: Set<String> = ["concurrency", "serverWork", "serverWorkStarts", "callOverheadScaling", "serviceTimeScaling",
                                              "wakeUp", "host", "slowPeriods",
                                              "dispatchWork", "sendWork", "work", "readWork"]
    /// The same for lists: `hosts` (the scenario's), left out while empty.
    static let omittedWhenEmpty: Set<String> = ["hosts"]

    private static func isNil(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }
}
