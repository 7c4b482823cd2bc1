// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// The report of each kind as headless Chromium lays it out (one run and a sweep here; runs
/// compared and a plan in `ReportCommandTests`, which make those folders anyway): every chart is a figure with a visible title and a caption, no two texts of a chart
/// overprint each other or leave the chart, and the screenshot is not blank. The checks run in
/// a copy of the report with a measuring script appended (`ReportLayoutCheck`); the report
/// itself stays free of scripts.
final class ReportLayoutTests: XCTestCase {
    private let short = ["--set", "run.requests=2000", "--set", "run.warmupRequests=200", "--set", "run.replications=2"]

    private func run(_ arguments: [String]) throws {
        let result = try BinaryRunner.run(arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func report(_ folders: [String], to html: String) throws -> String {
        try run(["report"] + folders + ["--out", html])
        return try String(contentsOfFile: html, encoding: .utf8)
    }

    func testOneRunReportHasTitledFiguresAndNoOverprint() throws {
        let root = try BinaryRunner.temporaryDirectory()
        try run(["run", "scenarios/image-collaborative.yaml", "--quiet", "--out", root + "/hybrid"] + short)
        let html = try report([root + "/hybrid"], to: root + "/report.html")
        // The scenario's objective (p99 ≤ 100 ms) is drawn on the CDF.
        let cdf = try XCTUnwrap(html.components(separatedBy: "id=\"cdf-0\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertTrue(cdf.contains("class=\"slo-bound\" data-value=\"100.00\""), cdf)
        XCTAssertTrue(cdf.contains("SLO p99 ≤ 100 ms"), cdf)
        let layout = try ReportLayoutCheck.run(html: root + "/report.html")
        XCTAssertEqual(layout.charts, 4, "CDF, utilisation, breakdown, utilisation over time")
        layout.assertClean()
    }

    /// The sweep's points all cost the same, so the trade-off is replaced by p99 ranked; its
    /// bars are coloured by the points' verdicts against the objectives set here.
    func testSweepReportHasTitledFiguresAndNoOverprint() throws {
        let root = try BinaryRunner.temporaryDirectory()
        try run(["sweep", "scenarios/sweep-example.yaml", "--quiet", "--out", root + "/sweep", "--set", "run.requests=600",
                 "--set", "run.warmupRequests=60", "--set", "slo={latency: {p99: 30ms}, accuracy: 0.83}"])
        let html = try report([root + "/sweep"], to: root + "/report.html")
        let ranked = try XCTUnwrap(html.components(separatedBy: "id=\"sweep-tradeoff-0\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertTrue(ranked.contains("data-chart=\"ranked-p99\""), ranked)
        let csv = try String(contentsOfFile: root + "/sweep/sweep.csv", encoding: .utf8)
        let missed = csv.split(separator: "\n").filter { $0.contains(",ok,no,") }.count
        XCTAssertGreaterThan(missed, 0, "the objectives are tight enough for some points to miss: \(csv)")
        XCTAssertEqual(ranked.components(separatedBy: "data-verdict=\"missed\"").count - 1, missed)
        XCTAssertTrue(ranked.contains(">20/s / mean</text>"), "bars are labelled by the points' settings")
        let layout = try ReportLayoutCheck.run(html: root + "/report.html")
        XCTAssertEqual(layout.charts, 2)
        layout.assertClean()
    }
}

/// Headless Chromium's view of a report: a copy with `script` appended measures, in the page,
/// each chart's figure title and caption and the boxes (`getBoundingClientRect`) of its texts,
/// and writes what it found into `<pre id="layout-check">`, which `--dump-dom` returns; a full
/// screenshot (1280 px wide) is checked for content.
struct ReportLayoutCheck {
    var charts: Int
    var untitled: [String]
    var uncaptioned: [String]
    var overlaps: [String]
    var clipped: [String]
    var nonWhiteFraction: Double

    func assertClean(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(charts, 0, "no chart in the page", file: file, line: line)
        XCTAssertEqual(untitled, [], "charts without a visible title", file: file, line: line)
        XCTAssertEqual(uncaptioned, [], "charts without a caption", file: file, line: line)
        XCTAssertEqual(overlaps, [], "texts that overprint each other", file: file, line: line)
        XCTAssertEqual(clipped, [], "texts outside their chart", file: file, line: line)
        XCTAssertGreaterThan(nonWhiteFraction, 0.02, "the screenshot is (nearly) blank", file: file, line: line)
    }

    /// Overlaps and overhangs up to this many CSS pixels are tolerated (anti-aliasing, font metrics).
    static let script = """
        (function () {
          const pad = 1, out = { charts: 0, untitled: [], uncaptioned: [], overlaps: [], clipped: [] };
          document.querySelectorAll('svg.chart').forEach(function (svg) {
            out.charts++;
            const figure = svg.closest('figure');
            const title = figure && figure.querySelector('.chart-title');
            const caption = figure && figure.querySelector('figcaption');
            if (!title || !title.textContent.trim()) out.untitled.push(svg.id);
            if (!caption || !caption.textContent.trim()) out.uncaptioned.push(svg.id);
            const frame = svg.getBoundingClientRect();
            const texts = Array.from(svg.querySelectorAll('text'))
              .filter(function (t) { return t.textContent.trim() !== ''; })
              .map(function (t) { return { text: t.textContent, box: t.getBoundingClientRect() }; });
            texts.forEach(function (a, i) {
              if (a.box.left < frame.left - pad || a.box.right > frame.right + pad
                  || a.box.top < frame.top - pad || a.box.bottom > frame.bottom + pad) out.clipped.push(svg.id + ': ' + a.text);
              texts.slice(i + 1).forEach(function (b) {
                const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
                const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
                if (w > pad && h > pad) out.overlaps.push(svg.id + ': "' + a.text + '" / "' + b.text + '"');
              });
            });
          });
          const pre = document.createElement('pre');
          pre.id = 'layout-check';
          pre.textContent = JSON.stringify(out);
          document.body.appendChild(pre);
        })();
        """

    static func run(html: String) throws -> ReportLayoutCheck {
        let chromium = try XCTUnwrap(ReportCommandTests.chromium(),
                                     "headless Chromium is needed: run scripts/install-deps.sh --for-tests (apt-get install chromium)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertFalse(page.contains("<script"), "the report itself has no script")
        let probe = html + ".layout-check.html"
        try page.replacingOccurrences(of: "</body>", with: "<script>\n\(script)\n</script>\n</body>")
            .write(toFile: probe, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        let profile = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile]
        let sandboxed = ["XDG_CONFIG_HOME": profile, "XDG_CACHE_HOME": profile]
        let dom = try ReportCommandTests.runTool(chromium, common + ["--window-size=1280,1200", "--dump-dom", "file://" + probe],
                                                 environment: sandboxed)
        XCTAssertEqual(dom.status, 0, dom.stderr)
        let json = try XCTUnwrap(dom.stdout.components(separatedBy: "<pre id=\"layout-check\">").last?
            .components(separatedBy: "</pre>").first, "the measuring script did not run")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").utf8)) as? [String: Any] ?? [:]
        // The screenshot's first 700 px (decoding a PNG in Python takes about a second per 500 rows).
        let png = html + ".png"
        let shot = try ReportCommandTests.runTool(chromium, common + ["--window-size=1280,700", "--screenshot=" + png, "file://" + html],
                                                  environment: sandboxed)
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let stats = try ReportCommandTests.pixelStatistics(png)
        return ReportLayoutCheck(charts: decoded["charts"] as? Int ?? 0, untitled: decoded["untitled"] as? [String] ?? ["?"],
                                 uncaptioned: decoded["uncaptioned"] as? [String] ?? ["?"],
                                 overlaps: decoded["overlaps"] as? [String] ?? ["?"], clipped: decoded["clipped"] as? [String] ?? ["?"],
                                 nonWhiteFraction: stats.nonWhiteFraction)
    }
}
