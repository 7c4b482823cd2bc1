// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// The report of a calibration folder (`hybridsim calibrate`, docs/calibration.md): the choice
/// and its reason, and the CDF of the data against the chosen and runner-up fits as inline SVG,
/// drawn from `calibration.json`'s `service_time.cdf_plot`.
public enum CalibrationChart {
    /// Whether `directory` holds a calibration (`calibration.json`).
    public static func isCalibration(directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/calibration.json")
    }

    /// A self-contained HTML page over the calibration in `directory`.
    /// - Throws: when `calibration.json` cannot be read or parsed.
    public static func page(directory: String) throws -> String {
        let text = try String(contentsOfFile: directory + "/calibration.json", encoding: .utf8)
        let json = try JSONValue.parse(text)
        let reason = json[path: "service_time.reason"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
        let source = json[path: "source.samples_used"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Calibration: \(SVGPlot.escape(directory))</title>
            <style>body{font-family:sans-serif;max-width:900px;margin:2em auto;} p{line-height:1.4}
            \(ChartFigure.style)</style></head>
            <body>
            <h1>Calibration</h1>
            <p>\(SVGPlot.escape(source))</p>
            <p><strong>Choice:</strong> \(SVGPlot.escape(reason))</p>
            \(ChartFigure(title: "Service time: the data against the fits",
                          caption: "Fraction of the samples (y) at or below each service time (ms, x): the data as a step line, "
                            + "the chosen family (solid) and the runner-up by AIC (dashed) as smooth lines. The closer a fit "
                            + "follows the steps, above all in the upper tail, the better it predicts the tail latencies.",
                          svg: render(id: "calibration-cdf", json: json)).html)
            </body>
            </html>

            """
    }

    /// The CDF chart: the data as a step line, each fit as a smooth one (the runner-up dashed).
    static func render(id: String, json: JSONValue) -> String {
        func numbers(_ key: String) -> [Double] {
            guard case .array(let values)? = json[path: "service_time.cdf_plot." + key] else { return [] }
            return values.compactMap(\.number)
        }
        func name(_ key: String) -> String {
            if case .string(let s)? = json[path: "service_time." + key] { return s }
            return key
        }
        let xs = numbers("x_s").map { $0 * 1e3 }
        let plot = SVGPlot(xRange: (xs.first ?? 0)...(xs.last ?? 1), yRange: 0...1)
        var svg = plot.open(id: id, kind: "calibration-cdf", title: "Service time: data against the fits")
        svg += plot.axes(xLabel: "service time (ms)", yLabel: "fraction ≤ time", xFormat: SVGPlot.tick, yFormat: SVGPlot.tick)
        guard !xs.isEmpty else {
            return svg + "<text x=\"320\" y=\"180\" text-anchor=\"middle\" font-size=\"13\">no samples to plot</text></svg>"
        }
        var names: [String] = []
        var dashed: [Bool] = []
        for (index, (key, label)) in [("data", "data"), ("chosen", name("chosen")), ("runner_up", name("runner_up"))].enumerated() {
            let ys = numbers(key)
            guard ys.count == xs.count else { continue }
            var path = ""
            for (i, (x, y)) in zip(xs, ys).enumerated() {
                if key == "data" && i > 0 { path += " H\(SVGPlot.f(plot.x(x)))" }
                path += (i == 0 ? "M" : key == "data" ? " V" : " L")
                path += key == "data" && i > 0 ? SVGPlot.f(plot.y(y)) : "\(SVGPlot.f(plot.x(x))),\(SVGPlot.f(plot.y(y)))"
            }
            let dash = key == "runner_up" ? " stroke-dasharray=\"4 2\"" : ""
            svg += "<path class=\"cdf \(key)\" d=\"\(path)\" fill=\"none\" stroke=\"\(SVGPlot.color(index))\" stroke-width=\"2\"\(dash)>"
                + "<title>\(SVGPlot.escape(label))</title></path>"
            names.append(key == "data" ? "data" : "\(label) (\(key == "chosen" ? "chosen" : "runner-up"))")
            dashed.append(key == "runner_up")
        }
        svg += plot.legend(names, dashed: dashed, atBottom: true)
        return svg + "</svg>"
    }
}
