// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import Foundation

/// A Jupyter notebook (nbformat 4.5, every cell with an id) over one results folder
/// (`hybridsim export notebook`): markdown that explains the scenario and the run, code cells
/// that load `summary.json` with pandas by a path relative to the notebook and plot with
/// matplotlib.
///
/// Outputs are pre-rendered so that the notebook reads well unexecuted: tables as
/// `text/plain`, charts as `image/svg+xml` drawn by hybridsim from the same numbers (the
/// report's SVG charts, not matplotlib's); executing a cell replaces them with its own output.
public enum NotebookExport {
    /// The notebook for `run`, whose folder is at `relativePath` from the notebook's folder;
    /// `resolved` is the folder's `scenario.resolved.json`, if any.
    public static func make(_ run: ReportedRun, resolved: JSONValue?, relativePath: String) -> JSONValue {
        var notebook = NotebookBuilder()
        func markdown(_ text: String) { notebook.markdown(text) }
        func code(_ source: String, outputs: [JSONValue]) { notebook.code(source, outputs: outputs) }

        markdown(introduction(run, resolved: resolved))
        let pathLiteral = pythonString(relativePath)
        code("""
            import json
            from pathlib import Path

            import matplotlib.pyplot as plt
            import pandas as pd

            # The results folder, relative to this notebook (written by `hybridsim run`).
            results = Path(\(pathLiteral))
            summary = json.loads((results / "summary.json").read_text())
            summary["scenario"], summary["replications"], summary["requests"]["completed"]
            """, outputs: [result(text: "(\(run.summary.map { pythonString($0.scenario) } ?? "None"), "
                                  + "\(run.summary.map { String($0.replications) } ?? "None"), "
                                  + "\(run.summary.map { String($0.requests.completed) } ?? "None"))")])

        markdown("""
            ## Key figures

            Latencies in seconds, throughput in requests per simulated second, cost in US dollars per hour. \
            `latency_s.ci95` is the 95 % confidence interval of the mean latency (`docs/summary.md`).
            """)
        let figureKeys = SummaryFigure.keyFigures.map(\.key)
        let present = SummaryFigure.keyFigures.compactMap { figure in run.number(figure).map { (figure.key, $0) } }
        let width = present.map(\.0.count).max() ?? 0
        let table = (["figure".padding(toLength: width, withPad: " ", startingAt: 0) + "  value"]
                     + present.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + repr($0.1) })
            .joined(separator: "\n")
        code("""
            figures = pd.json_normalize(summary, sep=".").T.rename(columns={0: "value"})
            keys = \(pythonList(figureKeys))
            figures.loc[[k for k in keys if k in figures.index]]
            """, outputs: [result(text: table)])

        markdown("""
            ## Latency distribution

            `latency_s.histogram` holds the pooled latency histogram in logarithmic bins: the running sum of \
            `counts` over their total is the fraction of requests answered within `seconds` — the latency CDF.
            """)
        let cdf = run.summary?.latency.histogram.map { [(run.name, $0)] } ?? []
        code("""
            histogram = pd.DataFrame(summary["latency_s"]["histogram"])
            histogram["cdf"] = histogram["counts"].cumsum() / histogram["counts"].sum()
            fig, ax = plt.subplots(figsize=(7, 4))
            ax.step(histogram["seconds"] * 1e3, histogram["cdf"], where="post")
            ax.set_xlabel("latency (ms)")
            ax.set_ylabel("fraction of requests ≤ latency")
            ax.set_title(summary["scenario"] + ": latency CDF")
            ax.grid(True, alpha=0.3)
            plt.show()
            """, outputs: [figure(LatencyCDFChart.render(id: "notebook-cdf", series: cdf), what: "latency CDF")])

        markdown("""
            ## Utilisation per node

            Busy worker-time over available worker-time of each node of the deployment, 0 to 1.
            """)
        code("""
            nodes = pd.DataFrame(summary["nodes"]).T
            fig, ax = plt.subplots(figsize=(7, 0.5 + 0.4 * len(nodes)))
            nodes["utilization"].astype(float).plot.barh(ax=ax, xlim=(0, 1))
            ax.set_xlabel("utilisation")
            ax.invert_yaxis()
            plt.show()
            """, outputs: [figure(UtilizationChart.render(id: "notebook-utilization", nodes: run.utilizations),
                                  what: "utilisation per node")])

        markdown(rerun(run))

        return notebook.document(results: relativePath)
    }

    // MARK: - Text

    private static func introduction(_ run: ReportedRun, resolved: JSONValue?) -> String {
        var text = "# \(run.name): a hybridsim run\n\n"
        let scenario = run.summary?.scenario ?? run.name
        text += "This notebook reads the results of the scenario **\(scenario)**, simulated by hybridsim"
        if let version = run.manifest?[path: "hybridsim_version"] { text += " \(plain(version))" }
        if case .string(let commit)? = run.manifest?[path: "git_commit"] { text += " at commit `\(commit)`" }
        text += ".\n\n"
        if let resolved {
            if case .object(let deployment)? = resolved[path: "deployment"], let kind = deployment.first?.0 {
                text += "- **Deployment:** \(kind)"
                text += kind == "collaborative" ? " — the same input goes to several models on different nodes and their answers are fused.\n"
                    : kind == "distributed" ? " — each request's work is split over several nodes and the parts are merged.\n"
                    : kind == "cascade" ? " — a cheap model answers first; uncertain requests escalate.\n" : ".\n"
            }
            if case .array(let models)? = resolved[path: "models"] {
                text += "- **Models:** " + models.compactMap { $0[path: "name"].map(plain) }.map { "`\($0)`" }.joined(separator: ", ") + "\n"
            }
            if case .array(let nodes)? = resolved[path: "nodes"] {
                text += "- **Nodes declared:** " + nodes.compactMap { $0[path: "name"].map(plain) }.map { "`\($0)`" }.joined(separator: ", ") + "\n"
            }
            if let run = resolved[path: "run"] {
                let requests = run[path: "requests"].map(plain), duration = run[path: "duration"].map(plain)
                text += "- **Run:** \(plain(run[path: "replications"] ?? .null)) replications of "
                    + (requests.flatMap { $0 == "null" ? nil : "\($0) measured requests" } ?? duration.map { "\($0) simulated seconds" } ?? "?")
                    + ", seed \(plain(resolved[path: "seed"] ?? .null))\n"
            }
            text += "\nThe resolved scenario (every include and default expanded) is `scenario.resolved.json` next to the summary.\n"
        }
        if case .string(let message)? = run.manifest?[path: "message"] {
            text += "\n**The run failed:** \(message)\n"
        } else if let mean = run.number(.latencyMean), let p99 = run.number(.latencyP99) {
            text += "\nIn short: mean latency \(SummaryTable.fixed(mean * 1e3)) ms, p99 \(SummaryTable.fixed(p99 * 1e3)) ms"
            if let throughput = run.number(.throughput) { text += ", \(SummaryTable.fixed(throughput)) requests/s" }
            if let accuracy = run.number(.accuracy) { text += ", accuracy \(SummaryTable.fixed(accuracy))" }
            if let cost = run.number(.costPerHour) { text += ", $\(SummaryTable.fixed(cost))/h" }
            text += ".\n"
        }
        text += "\nThe outputs below were rendered by hybridsim when it wrote this notebook (charts as SVG); run the cells "
            + "(pandas, matplotlib) to redraw them from the files."
        return text
    }

    private static func rerun(_ run: ReportedRun) -> String {
        var command = "hybridsim run " + (run.manifest?[path: "scenario_file"].map(plain) ?? "SCENARIO.yaml")
        if case .array(let overrides)? = run.manifest?[path: "overrides"] {
            for case .string(let o) in overrides { command += " --set '\(o)'" }
        }
        command += " --out \(run.directory)"
        return "## Reproduce\n\nThe same scenario and seed give the same `summary.json` (apart from wall-clock fields):\n\n```bash\n\(command)\nhybridsim export notebook \(run.directory)\n```"
    }

    // MARK: - Cells

    private static func result(text: String) -> JSONValue { NotebookBuilder.result(text: text) }

    private static func figure(_ svg: String, what: String) -> JSONValue { NotebookBuilder.figure(svg, what: what) }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.rendered().trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func repr(_ x: Double) -> String { "\(x)" }

    private static func pythonString(_ s: String) -> String { NotebookBuilder.pythonString(s) }

    private static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// The path of `target` relative to the directory `base` (both absolute or both relative
    /// to the same directory), with `..` where needed.
    public static func relativePath(from base: String, to target: String) -> String {
        let from = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let to = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        let path = (ups + to[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
