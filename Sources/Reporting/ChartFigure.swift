// SPDX-License-Identifier: GPL-3.0-or-later

/// A chart as the report shows it: a visible title above the inline SVG and a caption below
/// it that says what the chart shows and how to read it (units, what a point or line is).
struct ChartFigure {
    var title: String
    var caption: String
    var svg: String

    /// The `<figure>` element: `.chart-title`, the SVG, `<figcaption>`.
    var html: String {
        "<figure class=\"chart-figure\">\n<div class=\"chart-title\">\(SVGPlot.escape(title))</div>\n\(svg)\n"
            + "<figcaption>\(SVGPlot.escape(caption))</figcaption>\n</figure>\n"
    }

    /// The report's styles for figures: as wide as the charts (640 px), caption in grey.
    static let style = """
        figure.chart-figure { margin: 0; width: 640px; }
        .chart-title { font-weight: 600; margin: 0 0 4px; }
        figcaption { color: #555; font-size: 0.9em; margin-top: 4px; line-height: 1.35; }
        """
}
