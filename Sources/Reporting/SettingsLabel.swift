// SPDX-License-Identifier: GPL-3.0-or-later

/// Short labels of sweep points and plan candidates by their settings: the values of the key
/// paths that differ between the points shown, joined by ` / ` in key-path order, each value
/// cut to `maxValueLength` characters (`…` marks a cut). The key paths the labels list are
/// named once, in the chart's caption (`legend`).
struct SettingsLabel {
    static let maxValueLength = 12
    static let separator = " / "

    /// Indices of the key paths whose values differ between the rows shown.
    let varying: [Int]
    let keyPaths: [String]

    init(keyPaths: [String], rows: [[String]]) {
        self.keyPaths = keyPaths
        varying = keyPaths.indices.filter { k in Set(rows.map { k < $0.count ? $0[k] : "" }).count > 1 }
    }

    /// The label of one row of settings (`"—"` when no setting differs).
    func label(_ settings: [String]) -> String {
        let values = varying.map { k in Self.shorten(k < settings.count ? settings[k] : "") }
        return values.isEmpty ? "—" : values.map { $0.isEmpty ? "·" : $0 }.joined(separator: Self.separator)
    }

    /// What the labels list: `labels: branches.0.on / edge-e.powerMode`, each key path cut to
    /// its last two parts (three when the first of those is a list index).
    var legend: String {
        guard !varying.isEmpty else { return "" }
        return "labels: " + varying.map { k in
            let parts = keyPaths[k].split(separator: ".")
            let keep = parts.count >= 3 && Int(parts[parts.count - 2]) != nil ? 3 : 2
            return parts.suffix(keep).joined(separator: ".")
        }.joined(separator: " / ")
    }

    /// `value` cut to `maxValueLength` characters, the last one `…` when cut.
    static func shorten(_ value: String) -> String {
        value.count <= maxValueLength ? value : String(value.prefix(maxValueLength - 1)) + "…"
    }
}
