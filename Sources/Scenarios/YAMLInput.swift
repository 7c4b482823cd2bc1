// SPDX-License-Identifier: GPL-3.0-or-later
import Yams

/// Turns YAML text into a located `ScenarioNode` tree, or into diagnostics.
///
/// Used for scenario files and for the values of `--set` overrides, so that both are read by
/// the same parser; `locate` maps a Yams line/column to a location in the user's input.
enum YAMLInput {
    /// The result of parsing one YAML text.
    enum Outcome {
        case node(ScenarioNode)
        /// The text holds no document (empty, or only comments).
        case empty
        /// The text could not be parsed; the reasons are in the log.
        case failed
    }

    /// Most nodes a document may expand to. Aliases can make a small file expand
    /// exponentially ("billion laughs"); no scenario comes near this.
    static let nodeBudget = 1_000_000

    static func parse(_ text: String, locate: (_ line: Int, _ column: Int) -> SourceLocation,
                      offsetLocation: (_ characterOffset: Int) -> SourceLocation,
                      log: inout DiagnosticLog, nodeBudget: Int = nodeBudget) -> Outcome {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            log.append(contentsOf: [diagnostic(for: error, text: text, locate: locate, offsetLocation: offsetLocation)])
            return .failed
        } catch {
            log.error("cannot read YAML: \(error)", at: locate(1, 1), path: .root)
            return .failed
        }
        guard let root else { return .empty }
        var budget = nodeBudget
        guard let node = convert(root, locate: locate, budget: &budget) else {
            // Every node written out takes at least one byte, so a text shorter than the budget
            // can only pass it by repeating anchored subtrees.
            if text.utf8.count < nodeBudget {
                log.error("the document expands to more than \(nodeBudget) nodes", at: locate(1, 1), path: .root,
                          hint: "aliases (`*name`) repeat whole subtrees; a scenario never needs this many")
            } else {
                log.error("the document has more than \(nodeBudget) entries; a scenario has at most a few thousand",
                          at: locate(1, 1), path: .root,
                          hint: "is this the right file? Samples and prediction logs belong in CSV files named with `file:`")
            }
            return .failed
        }
        return .node(node)
    }

    private static func convert(_ node: Node, locate: (Int, Int) -> SourceLocation, budget: inout Int) -> ScenarioNode? {
        budget -= 1
        guard budget >= 0 else { return nil }
        let location = node.mark.map { locate($0.line, $0.column) } ?? locate(1, 1)
        switch node {
        case .scalar(let scalar):
            return ScenarioNode(content: .scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any),
                                location: location)
        case .mapping(let mapping):
            var entries: [ScenarioNode.Entry] = []
            for (key, value) in mapping {
                guard let k = convert(key, locate: locate, budget: &budget),
                      let v = convert(value, locate: locate, budget: &budget) else { return nil }
                entries.append(.init(key: k, value: v))
            }
            return ScenarioNode(content: .mapping(entries), location: location)
        case .sequence(let sequence):
            var items: [ScenarioNode] = []
            for item in sequence {
                guard let i = convert(item, locate: locate, budget: &budget) else { return nil }
                items.append(i)
            }
            return ScenarioNode(content: .sequence(items), location: location)
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one is reported, not followed.
            return ScenarioNode(content: .scalar("*\(alias)", plain: false), location: location)
        }
    }

    private static func diagnostic(for error: YamlError, text: String, locate: (Int, Int) -> SourceLocation,
                                   offsetLocation: (Int) -> SourceLocation) -> Diagnostic {
        func make(_ message: String, _ location: SourceLocation, _ hint: String? = nil) -> Diagnostic {
            Diagnostic(location: location, keyPath: "", message: message, hint: hint)
        }
        func hint(_ context: YamlError.Context?) -> String? {
            context.map {
                let at = locate($0.mark.line, $0.mark.column)
                return "\($0.text) that starts at line \(at.line), column \(at.column)"
            }
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return make("YAML syntax error: \(problem)", locate(mark.line, mark.column), hint(context))
        case .reader(let problem, let offset, let value, _):
            let what = value >= 0 ? " (character U+\(String(value, radix: 16, uppercase: true)))" : ""
            return make("cannot read the text: \(problem)\(what)", offsetLocation(offset ?? 0))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let first = context.mark
            let key = duplicates.first ?? ""
            let second = secondOccurrence(of: key, after: first, in: text)
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            let message = duplicates.count == 1
                ? "key \(names) appears more than once in the same mapping"
                : "keys \(names) appear more than once in the same mapping"
            return make(message, second.map { locate($0.line, $0.column) } ?? locate(first.line, first.column),
                        second == nil ? "keep one of them" : "first written at line \(first.line), column \(first.column); keep one of them")
        default:
            return make("cannot read YAML: \(error)", locate(1, 1))
        }
    }

    /// Best-effort position of the repeat of a duplicated key: the next `key:` after the first
    /// one, at a word boundary. Nil if it cannot be found (the first position is used then).
    static func secondOccurrence(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        guard !key.isEmpty else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var lineIndex = first.line - 1
        var startColumn = first.column - 1 + key.unicodeScalars.count
        while lineIndex >= 0, lineIndex < lines.count {
            let scalars = Array(lines[lineIndex].unicodeScalars)
            let keyScalars = Array(key.unicodeScalars)
            var c = max(0, startColumn)
            while c + keyScalars.count <= scalars.count {
                if Array(scalars[c..<(c + keyScalars.count)]) == keyScalars,
                   c == 0 || !isNameScalar(scalars[c - 1]) {
                    var after = c + keyScalars.count
                    while after < scalars.count, scalars[after] == " " { after += 1 }
                    if after < scalars.count, scalars[after] == ":" { return (lineIndex + 1, c + 1) }
                }
                c += 1
            }
            lineIndex += 1
            startColumn = 0
        }
        return nil
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" || s == "\"" || s == "'"
    }
}
