// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim report`: the HTML file, checked as a browser shows it (headless Chromium,
/// `scripts/install-deps.sh --for-tests` installs it).
final class ReportCommandTests: XCTestCase {
    let short = ["--set", "run.requests=3000", "--set", "run.warmupRequests=300", "--set", "run.replications=2"]

    /// Two runs of the collaborative case (hybrid and edge only) in a fresh directory.
    private func twoRuns() throws -> (root: String, hybrid: String, edge: String) {
        let root = try BinaryRunner.temporaryDirectory()
        let hybrid = root + "/hybrid", edge = root + "/edge-only"
        for (out, extra) in [(hybrid, [String]()),
                             (edge, ["--set", "deployment={kind: single, model: mobilenet-v3, on: edge-e, via: rest}"])] {
            let result = try BinaryRunner.run(["run", "scenarios/image-collaborative.yaml", "--quiet", "--out", out] + short + extra)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        return (root, hybrid, edge)
    }

    func testReportIsSelfContainedAndRendersEveryChartInChromium() throws {
        let (root, hybrid, edge) = try twoRuns()
        let html = root + "/report.html"
        let result = try BinaryRunner.run(["report", hybrid, edge, "--out", html])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        // Self-contained: no scripts, stylesheets, images or fonts from elsewhere.
        for external in ["src=", "href=", "<link", "<script", "@import", "url("] {
            XCTAssertFalse(text.contains(external), "\(external) in the report")
        }
        XCTAssertEqual(text.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"), false)

        let chromium = try XCTUnwrap(Self.chromium(), "headless Chromium is needed: run scripts/install-deps.sh --for-tests (apt-get install chromium)")
        let profile = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, "--window-size=1280,1800"]
        // Chromium's crash database goes to $XDG_CONFIG_HOME/chromium even with --user-data-dir:
        // keep it (and caches) in the temporary profile, out of the home directory.
        let sandboxed = ["XDG_CONFIG_HOME": profile, "XDG_CACHE_HOME": profile]
        let dom = try Self.runTool(chromium, common + ["--dump-dom", "file://" + html], environment: sandboxed)
        XCTAssertEqual(dom.status, 0, dom.stderr)
        // Every chart is in the DOM after the browser parsed the page: per run a latency CDF
        // and utilisation bars, and for the comparison the trade-off scatter and overlaid CDFs.
        for id in ["cdf-0", "utilization-0", "utilization-time-0", "cdf-1", "utilization-1", "utilization-time-1",
                   "tradeoff", "cdf-comparison"] {
            XCTAssertTrue(dom.stdout.contains("id=\"\(id)\""), "chart \(id) missing from the DOM")
        }
        XCTAssertEqual(dom.stdout.components(separatedBy: "data-chart=\"latency-cdf\"").count - 1, 3)
        XCTAssertEqual(dom.stdout.components(separatedBy: "data-chart=\"utilization\"").count - 1, 2)
        XCTAssertEqual(dom.stdout.components(separatedBy: "data-chart=\"tradeoff\"").count - 1, 1)
        XCTAssertGreaterThanOrEqual(dom.stdout.components(separatedBy: "class=\"cdf\"").count - 1, 4, "a CDF path per series")
        XCTAssertGreaterThanOrEqual(dom.stdout.components(separatedBy: "class=\"bar\"").count - 1, 2)
        XCTAssertEqual(dom.stdout.components(separatedBy: "class=\"point\"").count - 1, 2)
        // Both runs share the p99 objective (100 ms): it is drawn on the trade-off; colours are verdicts.
        let tradeoff = try XCTUnwrap(text.components(separatedBy: "id=\"tradeoff\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertTrue(tradeoff.contains("class=\"slo-bound\" data-value=\"100.00\""), tradeoff)
        XCTAssertFalse(tradeoff.contains("rgb("), "no stretched accuracy scale")
        XCTAssertEqual(tradeoff.components(separatedBy: "data-verdict=").count - 1, 2)
        let layout = try ReportLayoutCheck.run(html: html)
        XCTAssertEqual(layout.charts, 3 + 2 * 4, "trade-off, breakdown and CDFs side by side; four per run")
        layout.assertClean()

        let png = root + "/report.png"
        let shot = try Self.runTool(chromium, common + ["--screenshot=" + png, "file://" + html], environment: sandboxed)
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let stats = try Self.pixelStatistics(png)
        XCTAssertGreaterThan(stats.nonWhiteFraction, 0.03, "the screenshot is (nearly) blank: \(stats)")
        XCTAssertGreaterThan(stats.distinctColors, 20, "the screenshot has too few colours: \(stats)")
    }

    /// An autoscaled pool's run also gets instances over time: one line for the instances and
    /// one (dashed) for those booting; utilisation over time has a line per node.
    func testAutoscaledRunDrawsInstancesOverTime() throws {
        let root = try BinaryRunner.temporaryDirectory()
        let run = try BinaryRunner.run(["run", "scenarios/cloud-autoscale.yaml", "--quiet", "--out", root,
                                        "--set", "run.replications=1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try BinaryRunner.run(["report", root])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: root + "/report.html", encoding: .utf8)
        XCTAssertTrue(text.contains("id=\"instances-time-0\""), "no instances chart")
        XCTAssertTrue(text.contains("id=\"utilization-time-0\""), "no utilisation-over-time chart")
        let instances = try XCTUnwrap(text.components(separatedBy: "id=\"instances-time-0\"").last?
            .components(separatedBy: "</svg>").first)
        XCTAssertEqual(instances.components(separatedBy: "class=\"series\"").count - 1, 2)
        XCTAssertEqual(instances.components(separatedBy: "stroke-dasharray").count - 1, 2, "the booting line and its legend swatch")
        try ReportLayoutCheck.run(html: root + "/report.html").assertClean()
    }

    /// A sweep folder gets its points table (one row per point, the swept values in their
    /// columns), its points' p99 ranked (they all cost the same) and p99 against the numeric swept setting (the
    /// arrival rate), one line per fusion method.
    func testSweepFolderIsReportedWithItsPoints() throws {
        let root = try BinaryRunner.temporaryDirectory()
        let sweep = try BinaryRunner.run(["sweep", "scenarios/sweep-example.yaml", "--quiet", "--out", root,
                                          "--set", "run.requests=600", "--set", "run.warmupRequests=60"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let report = try BinaryRunner.run(["report", root])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: root + "/report.html", encoding: .utf8)
        let table = try XCTUnwrap(text.components(separatedBy: "<table class=\"sweep\">").last?
            .components(separatedBy: "</table>").first)
        XCTAssertEqual(table.components(separatedBy: "<tr>").count - 1, 7, "a header and six points")
        XCTAssertTrue(table.contains("<td>40/s</td><td>vote</td>"), table)
        // Every point costs the same, so the trade-off is p99 ranked: a bar per point.
        let ranked = try XCTUnwrap(text.components(separatedBy: "id=\"sweep-tradeoff-0\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertTrue(ranked.contains("data-chart=\"ranked-p99\""), ranked)
        XCTAssertEqual(ranked.components(separatedBy: "class=\"bar\"").count - 1, 6, "a bar per sweep point")
        let lines = try XCTUnwrap(text.components(separatedBy: "id=\"sweep-p99-0\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertEqual(lines.components(separatedBy: "<polyline class=\"series\"").count - 1, 2)
        XCTAssertTrue(lines.contains("method=vote"))
    }

    /// A planner folder gets its outcome, its best plan with the binding constraint, the near
    /// misses, and the simulated candidates' trade-off with the planner's front ringed; in
    /// Chromium every figure has its title and caption and no text overprints another.
    func testPlanFolderIsReportedWithItsBestPlanAndFront() throws {
        let root = try BinaryRunner.temporaryDirectory()
        let plan = try BinaryRunner.run(["plan", "scenarios/plan-example.yaml", "--quiet", "--out", root])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let report = try BinaryRunner.run(["report", root])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: root + "/report.html", encoding: .utf8)
        XCTAssertTrue(text.contains("a feasible plan was found"), text)
        // The binding constraint named in plan.json is the one the report shows.
        let planJSON = try String(contentsOfFile: root + "/plan.json", encoding: .utf8)
        let binding = try XCTUnwrap(planJSON.components(separatedBy: "\"binding_constraint\"").last?
            .components(separatedBy: "\"name\": \"").dropFirst().first?.components(separatedBy: "\"").first)
        XCTAssertTrue(text.contains("Binding constraint: <code>\(binding)</code>"), text)
        XCTAssertTrue(text.contains("<table class=\"plan-misses\">"))
        // Near misses with identical figures are one row naming the candidates and the collapsed values.
        XCTAssertTrue(text.contains("<h3>Near misses</h3>"), text)
        XCTAssertTrue(text.contains("<tr><td>0, 4</td>"), text)
        XCTAssertTrue(text.contains("nodes.cloud-b.instances=1|2"), text)
        let pareto = try String(contentsOfFile: root + "/pareto.csv", encoding: .utf8)
        let rows = pareto.split(separator: "\n").dropFirst()
        let chart = try XCTUnwrap(text.components(separatedBy: "id=\"plan-tradeoff-0\"").last?.components(separatedBy: "</svg>").first)
        XCTAssertEqual(chart.components(separatedBy: "class=\"point\"").count - 1, rows.count, "a point per simulated candidate")
        XCTAssertEqual(chart.components(separatedBy: "r=\"8\"").count - 1, rows.filter { $0.hasSuffix(",true") }.count,
                       "the planner's front is ringed")
        XCTAssertEqual(chart.components(separatedBy: "data-verdict=\"missed\"").count - 1,
                       rows.filter { $0.contains(",false,") }.count, "infeasible candidates are coloured as SLO missed")
        // Points are labelled by their settings (never `#index`), coincident candidates once; the
        // plan's p99 objective (35 ms) is drawn; the best plan's figures are in ms.
        XCTAssertTrue(chart.contains("class=\"slo-bound\" data-value=\"35.00\""), chart)
        let labels = chart.components(separatedBy: "class=\"point-label\"").dropFirst()
            .map { $0.components(separatedBy: ">").dropFirst().first?.components(separatedBy: "<").first ?? "" }
        XCTAssertFalse(labels.isEmpty)
        XCTAssertTrue(labels.allSatisfy { !$0.contains("#") && $0.contains(" / ") }, "\(labels)")
        // The cloud's instances (1, 2) make no difference when the cloud is unused: one label says 1|2.
        XCTAssertTrue(labels.contains { $0.contains("1|2") }, "\(labels)")
        let p99Row = try XCTUnwrap(text.components(separatedBy: "<tr><td>latency.p99</td><td>").dropFirst().first?
            .components(separatedBy: "</td>").first)
        XCTAssertTrue(p99Row.hasSuffix(" ms]") && p99Row.contains(" ms ["), "the best plan's p99 in ms: \(p99Row)")
        let layout = try ReportLayoutCheck.run(html: root + "/report.html")
        XCTAssertEqual(layout.charts, 1)
        layout.assertClean()
    }

    /// A failed run's folder (manifest only) is reported with its reason; a folder that is not
    /// a results folder is invalid (exit 2).
    func testFailedRunIsReportedAndNonResultsFolderIsInvalid() throws {
        let root = try BinaryRunner.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/run/summary.json", withIntermediateDirectories: true)
        let failed = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", root + "/run"] + short)
        XCTAssertEqual(failed.status, 1)
        try FileManager.default.removeItem(atPath: root + "/run/summary.json")
        let report = try BinaryRunner.run(["report", root + "/run"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: root + "/run/report.html", encoding: .utf8)
        XCTAssertTrue(text.contains("The run failed"), text)

        let empty = try BinaryRunner.temporaryDirectory()
        let invalid = try BinaryRunner.run(["report", empty])
        XCTAssertEqual(invalid.status, 2, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("not a results folder"), invalid.stderr)
    }

    // MARK: - Tools

    /// The Chromium executable: $HYBRIDSIM_CHROMIUM, else the first of the usual names on PATH.
    static func chromium() -> String? {
        if let path = ProcessInfo.processInfo.environment["HYBRIDSIM_CHROMIUM"] { return path }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Runs a tool; `environment` adds to (or replaces in) this process's environment.
    static func runTool(_ executable: String, _ arguments: [String],
                        environment: [String: String] = [:]) throws -> BinaryRunner.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRunner.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Decodes the PNG with Python's standard library (zlib and the PNG filters) and returns
    /// the fraction of pixels that are not white and the number of distinct colours.
    static func pixelStatistics(_ png: String) throws -> (nonWhiteFraction: Double, distinctColors: Int) {
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
            pos, idat, width, height, ctype = 8, b'', 0, 0, 0
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + length]
                if kind == b'IHDR':
                    width, height, depth, ctype = struct.unpack('>IIBB', body[:10])
                    assert depth == 8 and ctype in (2, 6), 'unexpected PNG format'
                elif kind == b'IDAT':
                    idat += body
                pos += 12 + length
            bpp = 4 if ctype == 6 else 3
            raw, stride = zlib.decompress(idat), width * bpp
            prev, nonwhite, colours, i = bytearray(stride), 0, set(), 0
            for y in range(height):
                f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    b = prev[x]
                    c = prev[x - bpp] if x >= bpp else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                for x in range(0, stride, bpp):
                    px = bytes(line[x:x + 3])
                    colours.add(px)
                    if px != b'\\xff\\xff\\xff': nonwhite += 1
                prev = line
            print(nonwhite / (width * height), len(colours))
            """
        let result = try runTool("/usr/bin/env", ["python3", "-c", script, png])
        guard result.status == 0 else { throw NSError(domain: "png", code: 1, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        let fields = result.stdout.split(whereSeparator: \.isWhitespace)
        return (Double(fields.first ?? "") ?? 0, Int(fields.dropFirst().first ?? "") ?? 0)
    }
}
