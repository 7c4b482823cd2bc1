// SPDX-License-Identifier: GPL-3.0-or-later

/// The scenario's `name`: it names the default results folder (`results/<name>/`, and
/// `results/<name>-sweep/`, `results/<name>-plan/`), so it must be one plain path component.
extension ScenarioDecoder {
    /// Longest name accepted, in characters (a folder name with a suffix stays far below the
    /// 255-byte limit of common file systems).
    static let maximumNameLength = 100

    /// A name of ASCII letters, digits, `.`, `_` and `-` that starts with a letter or a digit
    /// (so never `..`, a hidden folder, a path or a line break), at most `maximumNameLength` long.
    mutating func scenarioName(_ node: ScenarioNode, path: KeyPath) -> String? {
        guard let text = string(node, path: path) else { return nil }
        let hint = "use letters, digits, `.`, `_` and `-`, starting with a letter or a digit "
            + "(the name is the default results folder, results/<name>/)"
        if text.count > Self.maximumNameLength {
            log.error("the scenario name is \(text.count) characters long; at most \(Self.maximumNameLength) are allowed",
                      at: node, path: path, hint: hint)
            return nil
        }
        let scalars = Array(text.unicodeScalars)
        let isAllowed = { (c: Unicode.Scalar) in
            c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                          || c == "." || c == "_" || c == "-")
        }
        if let bad = scalars.first(where: { !isAllowed($0) }) {
            log.error("the scenario name \(Diagnostic.quoted(text)) contains \(Self.describe(bad)), which a folder name must not",
                      at: node, path: path, hint: hint)
            return nil
        }
        if let first = scalars.first, first == "." || first == "_" || first == "-" {
            log.error("the scenario name \(Diagnostic.quoted(text)) starts with `\(first)`", at: node, path: path, hint: hint)
            return nil
        }
        return text
    }

    /// A character named for a message: printable ones quoted, others by code point.
    private static func describe(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\n": "a line break"
        case "\t": "a tab"
        case " ": "a space"
        case "/": "`/`"
        default:
            c.properties.generalCategory == .control || c.properties.generalCategory == .format
                ? "the character U+\(String(c.value, radix: 16, uppercase: true))" : "`\(c)`"
        }
    }
}
