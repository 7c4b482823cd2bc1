// SPDX-License-Identifier: GPL-3.0-or-later

/// The notebook of a sweep folder (`hybridsim export notebook DIR` where DIR holds
/// `sweep.csv`, docs/sweeps.md): what was swept and how many points were troubled, the table
/// of the points loaded with pandas, the p99 latency against the first numeric setting and the
/// cost / p99 trade-off — the report's charts, pre-rendered as SVG; unstable points are left
/// out of both charts (their latencies are lower bounds).
public enum SweepNotebook {
    public static func make(_ sweep: ReportedSweep, relativePath: String) -> JSONValue {
        var notebook = NotebookBuilder()
        let unstable = sweep.points.filter(\.isUnstable).count
        let missed = sweep.points.filter { $0.metrics["slo_met"] == "no" }.count
        var intro = "# \(sweep.name): a hybridsim sweep\n\n"
            + "This notebook reads `sweep.csv` of a sweep over "
            + sweep.keyPaths.map { "`\($0)`" }.joined(separator: ", ") + ": \(sweep.points.count) finished point"
            + (sweep.points.count == 1 ? "" : "s") + ".\n\n"
        if sweep.points.contains(where: { $0.metrics["slo_met"].map { !$0.isEmpty } ?? false }) {
            intro += "- **SLO:** \(missed) point\(missed == 1 ? "" : "s") missed it (columns `slo_met`, `slo_missed`).\n"
        }
        intro += "- **Unstable:** \(unstable) point\(unstable == 1 ? "" : "s") stopped early (column `outcome`): "
            + "their latencies are lower bounds, and the charts leave them out.\n\n"
            + "Latencies in `sweep.csv` are in seconds, cost in US dollars per hour (docs/sweeps.md). The outputs below "
            + "were rendered by hybridsim when it wrote this notebook; run the cells (pandas, matplotlib) to redraw them."
        notebook.markdown(intro)

        let shown = ["point"] + sweep.keyPaths + ["latency_p99_s", "cost_per_h", "outcome", "slo_met", "bottleneck"]
        let present = shown.filter { column in
            column == "point" || sweep.keyPaths.contains(column) || sweep.points.contains { $0.metrics[column] != nil }
        }
        let rows = sweep.points.prefix(20).map { point in
            present.map { column -> String in
                if column == "point" { return String(point.index) }
                if let k = sweep.keyPaths.firstIndex(of: column) { return point.settings[k] }
                return point.metrics[column] ?? ""
            }
        }
        notebook.code("""
            from pathlib import Path

            import matplotlib.pyplot as plt
            import pandas as pd

            # The sweep folder, relative to this notebook (written by `hybridsim sweep`).
            results = Path(\(NotebookBuilder.pythonString(relativePath)))
            points = pd.read_csv(results / "sweep.csv", keep_default_na=False, na_values=[""])
            columns = \(pythonList(present))
            points[[c for c in columns if c in points.columns]].head(20)
            """, outputs: [NotebookBuilder.result(text: NotebookBuilder.textTable(present, Array(rows)))])

        if let lines = SweepSection.p99Lines(sweep) {
            notebook.markdown("## p99 latency across the sweep\n\nOne line per combination of the other settings; "
                              + "unstable points are left out.")
            notebook.code("""
                stable = points[points.get("outcome", "ok") != "unstable"]
                axis = \(NotebookBuilder.pythonString(lines.key))
                others = [k for k in \(pythonList(sweep.keyPaths)) if k != axis]
                stable = stable.assign(x=stable[axis].astype(str).str.extract(r"^([-+0-9.eE]+)")[0].astype(float))
                fig, ax = plt.subplots(figsize=(7, 4))
                for name, group in (stable.groupby(others) if others else [("p99", stable)]):
                    group = group.sort_values("x")
                    ax.plot(group["x"], group["latency_p99_s"] * 1e3, marker="o", label=str(name))
                ax.set_xlabel(axis)
                ax.set_ylabel("p99 latency (ms)")
                ax.legend()
                ax.grid(True, alpha=0.3)
                plt.show()
                """, outputs: [NotebookBuilder.figure(
                    SweepLineChart.render(id: "notebook-sweep-p99", title: "p99 latency across the sweep", xLabel: lines.key,
                                          yLabel: "p99 latency (ms)", lines: lines.lines), what: "p99 latency across the sweep")])
        }
        let tradeoff = SweepSection.tradeoffPoints(sweep)
        if !tradeoff.isEmpty {
            notebook.markdown("## Cost and p99 latency\n\nEach stable point's cost rate against its p99 latency.")
            notebook.code("""
                stable = points[points.get("outcome", "ok") != "unstable"]
                fig, ax = plt.subplots(figsize=(7, 4))
                ax.scatter(stable["latency_p99_s"] * 1e3, stable["cost_per_h"].fillna(0))
                for _, row in stable.iterrows():
                    ax.annotate(str(int(row["point"])), (row["latency_p99_s"] * 1e3, 0 if pd.isna(row["cost_per_h"]) else row["cost_per_h"]))
                ax.set_xlabel("p99 latency (ms)")
                ax.set_ylabel("cost ($/h)")
                ax.grid(True, alpha=0.3)
                plt.show()
                """, outputs: [NotebookBuilder.figure(TradeoffChart.render(id: "notebook-sweep-tradeoff", points: tradeoff),
                                                      what: "cost against p99 latency")])
        }
        return notebook.document(results: relativePath)
    }

    static func pythonList(_ items: [String]) -> String {
        "[" + items.map(NotebookBuilder.pythonString).joined(separator: ", ") + "]"
    }
}
