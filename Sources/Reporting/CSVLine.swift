// SPDX-License-Identifier: GPL-3.0-or-later

/// Splits one line of the CSV files hybridsim writes (`timeline.csv`, `sweep.csv`,
/// `pareto.csv`) into fields: RFC 4180 quoting, no line breaks inside fields.
enum CSVLine {
    /// The fields of `line`; a field may be quoted, with `""` for a quote inside.
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var justClosed = false  // a quote right after a closing quote is a literal quote
        for c in line {
            if quoted {
                if c == "\"" { quoted = false; justClosed = true } else { field.append(c) }
                continue
            }
            if c == "\"" {
                if justClosed { field.append("\"") }
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
            justClosed = false
        }
        fields.append(field)
        return fields
    }
}
