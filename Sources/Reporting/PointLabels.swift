// SPDX-License-Identifier: GPL-3.0-or-later

/// Labels of a scatter's points that never overprint: points drawn within `groupRadius` px of
/// each other are one group labelled once (their names joined), and each label takes the first
/// of six positions next to its point that stays inside the plot and clear of every label, point
/// and fixed text already placed (`place`); the caller tries four positions a line away, with a
/// leader line, for those that found none (`far`); a label with no free position is left out
/// (its points keep their tooltips). Deterministic: groups and positions follow the points'
/// order.
struct PointLabels {
    /// A text or mark's box in SVG coordinates.
    struct Box: Equatable {
        var x0, y0, x1, y1: Double

        func overlaps(_ other: Box) -> Bool {
            x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1
        }
    }

    /// A placed label: its text, baseline position and `text-anchor`; a label a line away
    /// from its point has a leader line from the point (`leaderFrom`).
    struct Label: Equatable {
        var text: String
        var x, y: Double
        var anchor: String
        var leaderFrom: (x: Double, y: Double)?

        static func == (a: Label, b: Label) -> Bool {
            a.text == b.text && a.x == b.x && a.y == b.y && a.anchor == b.anchor
                && a.leaderFrom?.x == b.leaderFrom?.x && a.leaderFrom?.y == b.leaderFrom?.y
        }
    }

    /// Points closer than this (in px) share one label.
    static let groupRadius = 10.0
    /// Names listed in a group's label before `+N`.
    static let namesPerLabel = 3
    static let fontSize = 11.0

    /// An upper estimate of the width of `text` at `fontSize` px in the report's sans-serif
    /// font (DejaVu Sans, the widest common one, averages about 0.6 em per character).
    static func width(of text: String, fontSize: Double = fontSize) -> Double {
        Double(text.count) * fontSize * 0.62
    }

    /// The box of a text at baseline (`x`, `y`) with `anchor` (`start`, `middle`, `end`).
    static func box(of text: String, x: Double, y: Double, anchor: String, fontSize: Double = fontSize) -> Box {
        let width = Self.width(of: text, fontSize: fontSize)
        let x0 = anchor == "end" ? x - width : anchor == "middle" ? x - width / 2 : x
        return Box(x0: x0, y0: y - fontSize * 0.95, x1: x0 + width, y1: y + fontSize * 0.3)
    }

    /// Groups of point indices: each point joins the first group whose first point is within
    /// `groupRadius` px of it, else starts a group. Groups are in order of their first point.
    static func groups(_ positions: [(x: Double, y: Double)], radius: Double = groupRadius) -> [[Int]] {
        var groups: [[Int]] = []
        for (index, position) in positions.enumerated() {
            if let g = groups.firstIndex(where: { group in
                let first = positions[group[0]]
                return (first.x - position.x) * (first.x - position.x) + (first.y - position.y) * (first.y - position.y)
                    <= radius * radius
            }) {
                groups[g].append(index)
            } else {
                groups.append([index])
            }
        }
        return groups
    }

    /// One label for a group's names. Settings labels (`SettingsLabel`: values joined by ` / `,
    /// as many in each) merge position by position, distinct values joined by `|` in order of
    /// appearance (`local-c / 1|2 / MAXN`); other names are joined by `, ` up to
    /// `namesPerLabel`, then `+N`.
    static func text(of names: [String]) -> String {
        let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let parts = unique.map { $0.components(separatedBy: SettingsLabel.separator) }
        if unique.count > 1, parts[0].count > 1, parts.allSatisfy({ $0.count == parts[0].count }) {
            return parts[0].indices.map { position in
                parts.map { $0[position] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    .joined(separator: "|")
            }.joined(separator: SettingsLabel.separator)
        }
        let shown = unique.prefix(namesPerLabel).joined(separator: ", ")
        return unique.count > namesPerLabel ? shown + " +\(unique.count - namesPerLabel)" : shown
    }

    var area: Box
    var occupied: [Box]

    /// - Parameters: area: where labels may go (the plot area); occupied: marks and texts
    ///   labels must keep clear of.
    init(area: Box, occupied: [Box] = []) {
        self.area = area
        self.occupied = occupied
    }

    /// Places `text` next to the point at (`x`, `y`) drawn with radius `r`, or returns nil
    /// when every position overlaps something already placed or leaves the area. Near
    /// positions: right, left, right below, left below, above, below; `far`: a line further up
    /// or down, right then left, with a leader line from the point.
    mutating func place(_ text: String, x: Double, y: Double, r: Double, far: Bool = false) -> Label? {
        let gap = r + 3
        let candidates: [(Double, Double, String)] = far
            ? [(x + gap, y - 18, "start"), (x - gap, y - 18, "end"), (x + gap, y + 25, "start"), (x - gap, y + 25, "end")]
            : [(x + gap, y - 4, "start"), (x - gap, y - 4, "end"), (x + gap, y + 11, "start"),
               (x - gap, y + 11, "end"), (x, y - gap - 3, "middle"), (x, y + gap + 10, "middle")]
        for (lx, ly, anchor) in candidates {
            let box = Self.box(of: text, x: lx, y: ly, anchor: anchor)
            guard box.x0 >= area.x0, box.x1 <= area.x1, box.y0 >= area.y0, box.y1 <= area.y1,
                  !occupied.contains(where: box.overlaps) else { continue }
            occupied.append(box)
            return Label(text: text, x: lx, y: ly, anchor: anchor, leaderFrom: far ? (x, y) : nil)
        }
        return nil
    }

    /// The SVG `<text>` of a placed label, after its leader line when it has one (from the
    /// point to the label's end nearest to it, at mid-height).
    static func svg(_ label: Label) -> String {
        var leader = ""
        if let from = label.leaderFrom {
            let box = Self.box(of: label.text, x: label.x, y: label.y, anchor: label.anchor)
            let toX = abs(box.x0 - from.x) < abs(box.x1 - from.x) ? box.x0 : box.x1
            leader = "<line class=\"leader\" x1=\"\(SVGPlot.f(from.x))\" y1=\"\(SVGPlot.f(from.y))\" x2=\"\(SVGPlot.f(toX))\" "
                + "y2=\"\(SVGPlot.f((box.y0 + box.y1) / 2))\" stroke=\"#888\" stroke-width=\"0.75\"/>"
        }
        return leader + "<text class=\"point-label\" x=\"\(SVGPlot.f(label.x))\" y=\"\(SVGPlot.f(label.y))\" font-size=\"\(SVGPlot.tick(fontSize))\""
            + (label.anchor == "start" ? "" : " text-anchor=\"\(label.anchor)\"") + ">\(SVGPlot.escape(label.text))</text>"
    }
}
