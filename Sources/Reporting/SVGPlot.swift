// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// A rectangular plot area with linear axes, drawn as inline SVG text: the scaffolding the
/// report's charts share (frame, ticks, labels, escaping).
struct SVGPlot {
    var width = 640.0
    var height = 360.0
    var left = 64.0, right = 24.0, top = 28.0, bottom = 52.0
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    /// The SVG x coordinate of a data value.
    func x(_ value: Double) -> Double {
        let span = xRange.upperBound - xRange.lowerBound
        return left + (span > 0 ? (value - xRange.lowerBound) / span : 0.5) * (width - left - right)
    }

    /// The SVG y coordinate of a data value (up is larger).
    func y(_ value: Double) -> Double {
        let span = yRange.upperBound - yRange.lowerBound
        return height - bottom - (span > 0 ? (value - yRange.lowerBound) / span : 0.5) * (height - top - bottom)
    }

    /// Opening tag of the chart, with an id, a `data-chart` kind and an accessible title.
    func open(id: String, kind: String, title: String) -> String {
        "<svg id=\"\(Self.escape(id))\" class=\"chart\" data-chart=\"\(kind)\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
            + "<title>\(Self.escape(title))</title>"
            + "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>"
    }

    /// Frame, grid lines, tick labels and axis titles.
    func axes(xLabel: String, yLabel: String, xFormat: (Double) -> String, yFormat: (Double) -> String) -> String {
        var out = ""
        for tick in Self.ticks(xRange) {
            let px = Self.f(x(tick))
            out += "<line x1=\"\(px)\" y1=\"\(Self.f(top))\" x2=\"\(px)\" y2=\"\(Self.f(height - bottom))\" stroke=\"#e5e5e5\"/>"
            out += "<text x=\"\(px)\" y=\"\(Self.f(height - bottom + 16))\" text-anchor=\"middle\" font-size=\"11\">\(Self.escape(xFormat(tick)))</text>"
        }
        for tick in Self.ticks(yRange) {
            let py = Self.f(y(tick))
            out += "<line x1=\"\(Self.f(left))\" y1=\"\(py)\" x2=\"\(Self.f(width - right))\" y2=\"\(py)\" stroke=\"#e5e5e5\"/>"
            out += "<text x=\"\(Self.f(left - 6))\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"11\">"
                + "\(Self.escape(yFormat(tick)))</text>"
        }
        out += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(width - left - right))\" "
            + "height=\"\(Self.f(height - top - bottom))\" fill=\"none\" stroke=\"#444\"/>"
        out += "<text x=\"\(Self.f((left + width - right) / 2))\" y=\"\(Self.f(height - 12))\" text-anchor=\"middle\" font-size=\"12\">"
            + "\(Self.escape(xLabel))</text>"
        out += "<text transform=\"translate(16 \(Self.f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" "
            + "font-size=\"12\">\(Self.escape(yLabel))</text>"
        return out
    }

    /// A legend right of the plot area (when the right margin leaves room), else inside it
    /// at its top right or, with `atBottom`, its bottom right corner: a colour swatch
    /// (`SVGPlot.color(i)`, dashed when asked) and each name.
    func legend(_ names: [String], dashed: [Bool] = [], atBottom: Bool = false) -> String {
        let x = right >= 120 ? width - right + 10 : width - 200
        let first = atBottom ? height - bottom - 12 - 16 * Double(names.count - 1) : top + 10
        var out = ""
        for (index, name) in names.enumerated() {
            let y = first + Double(index) * 16
            let dash = index < dashed.count && dashed[index] ? " stroke-dasharray=\"4 2\"" : ""
            out += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(x + 14))\" y2=\"\(Self.f(y))\" "
                + "stroke=\"\(Self.color(index))\" stroke-width=\"3\"\(dash)/>"
            out += "<text x=\"\(Self.f(x + 18))\" y=\"\(Self.f(y))\" dominant-baseline=\"middle\" font-size=\"11\">"
                + "\(Self.escape(name))</text>"
        }
        return out
    }

    /// A latency bound as a dashed dark-red line across the plot area with its label: vertical
    /// at data x = `value` (`vertical`), else horizontal at data y = `value`. The label takes
    /// the first of its positions (vertical: beside the line's top, then lower; horizontal:
    /// above or below the line at its right, then its left end) that stays in the plot and
    /// clear of `avoid` (marks and labels already drawn). Returns the SVG and the label's box.
    func boundRule(vertical: Bool, at value: Double, label: String, avoid: [PointLabels.Box] = [])
        -> (svg: String, box: PointLabels.Box) {
        let color = "#8b0000"
        var svg = "<g class=\"slo-bound\" data-value=\"\(Self.f(value))\">"
        var candidates: [(x: Double, y: Double, anchor: String)] = []
        if vertical {
            let px = x(value)
            svg += "<line x1=\"\(Self.f(px))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(px))\" y2=\"\(Self.f(height - bottom))\" "
            for row in 0..<6 {
                let y = top + 13 + 16 * Double(row)
                candidates += [(px + 4, y, "start"), (px - 4, y, "end")]
            }
        } else {
            let py = y(value)
            svg += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(py))\" x2=\"\(Self.f(width - right))\" y2=\"\(Self.f(py))\" "
            candidates = [(width - right - 4, py - 4, "end"), (width - right - 4, py + 13, "end"),
                          (left + 4, py - 4, "start"), (left + 4, py + 13, "start")]
        }
        let area = PointLabels.Box(x0: left, y0: top, x1: width - right, y1: height - bottom)
        let boxes = candidates.map { PointLabels.box(of: label, x: $0.x, y: $0.y, anchor: $0.anchor) }
        let chosen = boxes.indices.first { i in
            boxes[i].x0 >= area.x0 && boxes[i].x1 <= area.x1 && boxes[i].y0 >= area.y0 && boxes[i].y1 <= area.y1
                && !avoid.contains(where: boxes[i].overlaps)
        } ?? 0
        let place = candidates[chosen]
        svg += "stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>"
        svg += "<text x=\"\(Self.f(place.x))\" y=\"\(Self.f(place.y))\" text-anchor=\"\(place.anchor)\" font-size=\"11\" "
            + "fill=\"\(color)\">\(Self.escape(label))</text></g>"
        return (svg, boxes[chosen])
    }

    /// The left margin of a chart whose rows are labelled left of the plot (bars per node, run
    /// or point), and the labels to draw: wide enough for the longest label (at least 70 px),
    /// at most 220 px; labels longer than that are cut with `…` (the full name stays in the
    /// row's tooltip).
    static func rowLabels(_ names: [String], fontSize: Double = 12) -> (left: Double, names: [String]) {
        let maxWidth = 220.0 - 12
        let fitted = names.map { name -> String in
            var cut = name
            while PointLabels.width(of: cut, fontSize: fontSize) > maxWidth && cut.count > 2 {
                cut = String(cut.dropLast(2)) + "…"
            }
            return cut
        }
        let widest = fitted.map { PointLabels.width(of: $0, fontSize: fontSize) }.max() ?? 0
        return (min(220, max(70, widest + 12)), fitted)
    }

    /// About five round tick values (1, 2 or 5 × 10^k apart) inside `range`.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var value = ceil(range.lowerBound / step) * step
        while value <= range.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// A series colour, cycling through a palette readable on white.
    static func color(_ index: Int) -> String {
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
        return palette[index % palette.count]
    }

    /// A tick label: the shortest of `%g`.
    static func tick(_ value: Double) -> String { String(format: "%g", value) }

    /// A coordinate with two decimals.
    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    /// Text safe inside SVG and HTML elements and attributes.
    static func escape(_ text: String) -> String {
        XMLText.escape(text)
    }
}
