// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Merges the files named by `include:` into a scenario's tree before it is decoded.
///
/// `include: [catalog/hardware.yaml, ...]` lists paths relative to the including file. An
/// included file may hold `hardware`, `models`, `nodes`, `links` and `protocols`, and `include` itself.
/// Sections merge: the included files' entries come first (depth first, in `include` order),
/// then the including file's own. A name defined twice (a hardware, model or node) is an
/// error at the second definition, with a hint naming the first; a file reached twice by
/// different paths is read once. Include cycles and files that cannot be read are errors at
/// the include entry. Relative paths inside an included file (`file:` of an empirical
/// distribution) stay relative to that file, because every node keeps its own location.
struct IncludeResolver {
    /// The sections an included file may contribute, with whether each is a mapping of named
    /// entries (`true`) or a list (`false`).
    static let sections: [(key: String, named: Bool)] = [("hardware", true), ("models", true), ("nodes", true), ("links", false),
                                                         ("protocols", true)]
    static let includedFileKeys = ["include"] + sections.map(\.key)

    private var log: DiagnosticLog
    /// Files already merged (standardized paths), and the chain of files being read.
    private var merged: Set<String> = []
    private var stack: [(path: String, shown: String)] = []
    /// Section entries in merge order: (section, key node of the section, its value).
    private var contributions: [(section: String, key: ScenarioNode, value: ScenarioNode)] = []

    private init(log: DiagnosticLog) { self.log = log }

    /// `root` with every `include:` merged in; problems go to `log`. A tree without
    /// `include:` comes back unchanged.
    static func resolve(_ root: ScenarioNode, file: String, log: inout DiagnosticLog) -> ScenarioNode {
        guard case .mapping(let entries) = root.content,
              let includeEntry = entries.first(where: { $0.key.scalarText == "include" })
        else { return root }
        var resolver = IncludeResolver(log: log)
        let identity = standardized(file)
        resolver.merged.insert(identity)
        resolver.stack = [(identity, file)]
        resolver.includeAll(includeEntry.value, from: file)
        let result = resolver.merge(into: root)
        log = resolver.log
        return result
    }

    /// Reads each file listed by the `include` value `node`, written in `file`.
    private mutating func includeAll(_ node: ScenarioNode, from file: String) {
        let path = KeyPath.root.appending("include")
        guard case .sequence(let items) = node.content else {
            log.error("expected a list of files to include, got \(node.kindDescription)", at: node, path: path,
                      hint: "e.g. `include: [catalog/hardware.yaml]`")
            return
        }
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let written = item.scalarText, !item.isNull, !written.isEmpty else {
                let got = item.scalarText?.isEmpty == true ? "an empty path" : item.kindDescription
                log.error("expected the path of a file to include, got \(got)", at: item, path: itemPath)
                continue
            }
            let base = item.location.file == SourceLocation.overrideFile ? stack[0].shown : file
            let resolved = TextFile.resolve(written, relativeTo: base)
            let identity = Self.standardized(resolved)
            if let start = stack.firstIndex(where: { $0.path == identity }) {
                let chain = (stack[start...].map(\.shown) + [resolved]).map { "`\($0)`" }.joined(separator: " → ")
                log.error("including `\(written)` makes a cycle: \(chain)", at: item, path: itemPath,
                          hint: "an included file must not include, directly or not, a file that includes it")
                continue
            }
            guard !merged.contains(identity) else { continue }
            let text: String
            do {
                text = try TextFile.read(resolved)
            } catch {
                log.error("cannot include `\(written)`: " + TextFile.message(error, what: "the file", path: resolved), at: item,
                          path: itemPath, hint: error == .missing ? "paths are relative to the folder of the file that includes them" : nil)
                continue
            }
            merged.insert(identity)
            stack.append((identity, resolved))
            read(text, file: resolved, includedBy: item, path: itemPath, written: written)
            stack.removeLast()
        }
    }

    /// Parses one included file and records its sections (after those of its own includes).
    /// A file that parses as YAML but is no scenario part (its top level is not a mapping with
    /// at least one scenario section) is reported at the `include:` entry, `item`, without
    /// quoting any of its contents: it may be any file the user can read (`/etc/passwd`).
    private mutating func read(_ text: String, file: String, includedBy item: ScenarioNode, path itemPath: KeyPath,
                               written: String) {
        let source = SourceText(file: file, text: text)
        let root: ScenarioNode
        switch YAMLInput.parse(text, locate: source.location(line:column:),
                               offsetLocation: { source.location(characterOffset: $0, in: text) }, log: &log) {
        case .failed, .empty: return
        case .node(let node): root = node
        }
        if let problem = Self.notAScenarioPart(root) {
            log.error("cannot include `\(written)`: `\(file)` is not a scenario file: \(problem)", at: item, path: itemPath,
                      hint: "an included file is YAML with sections such as `hardware:`, `models:`, `nodes:`, `links:`, `protocols:`")
            return
        }
        let others = ScenarioDecoder.topLevelKeys.filter { !Self.includedFileKeys.contains($0) }
        let reserved = Dictionary(uniqueKeysWithValues: others.map {
            ($0, "`\($0)` cannot be in an included file, which may hold only \(Self.includedFileKeys.joined(separator: ", "))")
        })
        guard let reader = MappingReader(root, path: .root, keys: Self.includedFileKeys, reserved: reserved,
                                         what: "a mapping of sections (`hardware:`, `models:`, `nodes:`, `links:`, `protocols:`)", log: &log)
        else { return }
        if let include = reader["include"] { includeAll(include, from: file) }
        for (key, _) in Self.sections {
            if let value = reader[key], let keyNode = reader.keyNode(key), !value.isNull {
                contributions.append((key, keyNode, value))
            }
        }
    }

    /// The main tree with each section replaced by the merge of every file's entries.
    private mutating func merge(into root: ScenarioNode) -> ScenarioNode {
        guard case .mapping(var entries) = root.content else { return root }
        for (key, named) in Self.sections {
            let own = entries.firstIndex { $0.key.scalarText == key }
            var parts = contributions.filter { $0.section == key }
            guard !parts.isEmpty else { continue }
            if let own {
                // A main-file section that is neither empty nor the right shape is left for the
                // decoder to report.
                let value = entries[own].value
                if !value.isNull {
                    guard Self.isMapping(value) == named, Self.isList(value) == !named else { continue }
                    parts.append((key, entries[own].key, value))
                }
            }
            var merged: [ScenarioNode.Entry] = []
            var items: [ScenarioNode] = []
            var firstDefinition: [String: SourceLocation] = [:]
            for part in parts {
                switch part.value.content {
                case .mapping(let sectionEntries) where named:
                    for entry in sectionEntries {
                        guard let name = entry.key.scalarText else { merged.append(entry); continue }
                        if let first = firstDefinition[name] {
                            log.error("`\(name)` is defined twice in `\(key)`", at: entry.key, path: KeyPath.root.appending(key).appending(name),
                                      hint: "first defined at \(first.file):\(first.line); keep one of them")
                            continue
                        }
                        firstDefinition[name] = entry.key.location
                        merged.append(entry)
                    }
                case .sequence(let list) where !named:
                    items.append(contentsOf: list)
                default:
                    log.error("expected \(named ? "a mapping of names to their settings" : "a list") under `\(key)`, got \(part.value.kindDescription)",
                              at: part.value, path: KeyPath.root.appending(key))
                }
            }
            let anchor = own.map { entries[$0] } ?? .init(key: parts[0].key, value: parts[0].value)
            let value = ScenarioNode(content: named ? .mapping(merged) : .sequence(items), location: anchor.value.location)
            if let own {
                entries[own].value = value
            } else {
                entries.append(.init(key: anchor.key, value: value))
            }
        }
        return ScenarioNode(content: .mapping(entries), location: root.location)
    }

    private static func isMapping(_ node: ScenarioNode) -> Bool {
        if case .mapping = node.content { return true }
        return false
    }

    private static func isList(_ node: ScenarioNode) -> Bool {
        if case .sequence = node.content { return true }
        return false
    }

    /// The identity of a file for cycle and repeat detection.
    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

extension IncludeResolver {
    /// Why a parsed file is not a scenario part, in words that quote none of its contents; nil
    /// when its top level is a mapping with at least one key of a scenario (`nodes`, `name`, ...).
    static func notAScenarioPart(_ root: ScenarioNode) -> String? {
        switch root.content {
        case .scalar: return "its top level is a single value (text), not a mapping of sections"
        case .sequence: return "its top level is a list, not a mapping of sections"
        case .mapping(let entries):
            let known = Set(ScenarioDecoder.topLevelKeys + ScenarioDecoder.reservedTopLevelKeys.keys)
            guard !entries.isEmpty, !entries.contains(where: { $0.key.scalarText.map(known.contains) == true }) else { return nil }
            let line = entries.first?.key.location.line ?? 1
            return "none of its top-level keys (the first at line \(line)) is a scenario section"
        }
    }
}
