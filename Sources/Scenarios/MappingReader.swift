// SPDX-License-Identifier: GPL-3.0-or-later

/// Reads one mapping against its schema: the keys it may hold. Problems are logged, never
/// thrown: a value that is not a mapping, keys that are not plain names, keys written twice,
/// unknown keys (with "did you mean" and the list of valid keys), missing required keys.
struct MappingReader {
    let node: ScenarioNode
    let path: KeyPath
    private var values: [String: ScenarioNode.Entry] = [:]
    /// Keys offered as "did you mean": their absence is not reported again as "missing".
    private var suggested: Set<String> = []

    /// Checks `node` against `keys`. `reserved` names keys of the scenario format that this
    /// version cannot use yet, with the reason given instead of "unknown key".
    /// Returns nil (after logging) if `node` is not a mapping.
    init?(_ node: ScenarioNode, path: KeyPath, keys: [String], reserved: [String: String] = [:],
          what: String = "a mapping", log: inout DiagnosticLog) {
        guard case .mapping(let entries) = node.content else {
            log.error("expected \(what), got \(node.kindDescription)", at: node, path: path,
                      hint: keys.isEmpty ? nil : "keys here: \(keys.joined(separator: ", "))")
            return nil
        }
        self.node = node
        self.path = path
        for entry in Self.namedEntries(entries, path: path, log: &log) {
            let name = entry.name
            if keys.contains(name) {
                values[name] = entry.entry
            } else if let reason = reserved[name] {
                log.error(reason, at: entry.entry.key, path: path.appending(name))
            } else {
                if let close = Suggestion.closest(to: name, among: keys) { suggested.insert(close) }
                log.error("unknown key \(Diagnostic.quoted(name))" + Suggestion.didYouMean(name, among: keys),
                          at: entry.entry.key, path: path.appending(name),
                          hint: keys.isEmpty ? "no keys are allowed here" : "valid keys here: \(keys.joined(separator: ", "))")
            }
        }
    }

    /// The entries of a mapping whose keys are plain names, each name once; logs keys that are
    /// not scalars and repeated keys (Yams rejects repeats in files; trees edited by overrides
    /// or built in code are checked here too).
    static func namedEntries(_ entries: [ScenarioNode.Entry], path: KeyPath,
                             log: inout DiagnosticLog) -> [(name: String, entry: ScenarioNode.Entry)] {
        var result: [(name: String, entry: ScenarioNode.Entry)] = []
        var firstSeen: [String: SourceLocation] = [:]
        for entry in entries {
            guard let name = entry.key.scalarText, !entry.key.isNull else {
                log.error("a key must be a name, got \(entry.key.kindDescription)", at: entry.key, path: path)
                continue
            }
            if let first = firstSeen[name] {
                log.error("key `\(name)` appears more than once in the same mapping", at: entry.key,
                          path: path.appending(name), hint: "first written at \(first); keep one of them")
                continue
            }
            firstSeen[name] = entry.key.location
            result.append((name, entry))
        }
        return result
    }

    /// The value of `key`, if present.
    subscript(key: String) -> ScenarioNode? { values[key]?.value }

    /// The key node of `key` (its name as written), if present.
    func keyNode(_ key: String) -> ScenarioNode? { values[key]?.key }

    /// The value of `key`; logs "missing" at the mapping if absent.
    func required(_ key: String, log: inout DiagnosticLog, hint: String? = nil) -> ScenarioNode? {
        if let value = values[key]?.value { return value }
        if suggested.contains(key) { return nil }  // already reported as a typo of this key
        log.error("required key `\(key)` is missing", at: node, path: path, hint: hint)
        return nil
    }
}
