// SPDX-License-Identifier: GPL-3.0-or-later

/// Escaping of text for XML, HTML and SVG elements and attributes.
enum XMLText {
    /// `text` with `& < > " '` escaped, newlines as `&#10;` (kept inside attributes), and
    /// the control characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
