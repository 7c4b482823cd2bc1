// SPDX-License-Identifier: GPL-3.0-or-later

/// Quoting a user's text inside a message: one line, bounded length.
extension Diagnostic {
    /// Most characters of a user's value or name shown in a message; longer ones are cut.
    public static let quotedLength = 40

    /// `text` in backquotes for a message: line breaks, tabs and other control characters
    /// written as `\n`, `\t`, `\u{7F}`, and anything past `quotedLength` characters cut and
    /// marked with `…` and the full length, so that a message stays one readable line.
    public static func quoted(_ text: String) -> String {
        var shown = ""
        var count = 0
        for character in text {
            if count == quotedLength {
                return "`\(shown)…` (\(text.count) characters)"
            }
            shown += escaped(character)
            count += 1
        }
        return "`\(shown)`"
    }

    private static func escaped(_ character: Character) -> String {
        switch character {
        case "\n", "\r\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            guard character.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }) else { return String(character) }
            return character.unicodeScalars.map { "\\u{\(String($0.value, radix: 16, uppercase: true))}" }.joined()
        }
    }
}
