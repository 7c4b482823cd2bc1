// SPDX-License-Identifier: GPL-3.0-or-later
import Results

/// The notebook of a planner folder (`hybridsim export notebook DIR` where DIR holds
/// `plan.json`, docs/planner.md): the outcome and the best plan, the simulated candidates of
/// `pareto.csv` loaded with pandas, and their cost / p99 trade-off with the Pareto front (the
/// report's chart, pre-rendered as SVG).
public enum PlanNotebook {
    public static func make(_ report: ReportedPlan, relativePath: String) -> JSONValue {
        var notebook = NotebookBuilder()
        let plan = report.plan
        let found = plan.status == "found"
        var intro = "# \(report.name): a hybridsim plan\n\n"
            + "This notebook reads `plan.json` and `pareto.csv` of a search over "
            + report.keyPaths.map { "`\($0)`" }.joined(separator: ", ") + ": "
            + (found ? "a feasible plan was found" : "no feasible plan was found") + ".\n\n"
        if let best = plan.best {
            intro += "- **Best plan:** candidate \(best.index)"
            intro += " — " + best.settings.entries.map { "`\($0.name)` = \($0.value)" }.joined(separator: ", ")
            intro += "\n"
        }
        intro += "- **Search:** " + plan.counts.named.map { "\($0.count) \($0.name.replacingOccurrences(of: "_", with: " "))" }
            .joined(separator: ", ") + "\n"
        intro += "\nLatencies in seconds, cost in US dollars per hour (docs/planner.md). The outputs below were rendered by "
            + "hybridsim when it wrote this notebook; run the cells (pandas, matplotlib) to redraw them."
        notebook.markdown(intro)

        let header = ["candidate"] + report.keyPaths + ["status", "cost_per_h", "latency_p99_s", "accuracy", "on_front"]
        let rows = report.candidates.prefix(20).map { c in
            [String(c.index)] + c.settings + [c.status, c.costPerHour.map { "\($0)" } ?? "", c.p99Seconds.map { "\($0)" } ?? "",
                                              c.accuracy.map { "\($0)" } ?? "", c.onFront ? "True" : "False"]
        }
        notebook.code("""
            import json
            from pathlib import Path

            import matplotlib.pyplot as plt
            import pandas as pd

            # The plan folder, relative to this notebook (written by `hybridsim plan`).
            results = Path(\(NotebookBuilder.pythonString(relativePath)))
            plan = json.loads((results / "plan.json").read_text())
            candidates = pd.read_csv(results / "pareto.csv")
            columns = \(SweepNotebook.pythonList(header))
            candidates[[c for c in columns if c in candidates.columns]].head(20)
            """, outputs: [NotebookBuilder.result(text: NotebookBuilder.textTable(header, Array(rows)))])

        let (points, front) = PlanSection.tradeoff(report)
        if !points.isEmpty {
            notebook.markdown("## Cost and p99 latency\n\nEach simulated candidate's cost rate against its p99 latency; "
                              + "hollow: it misses a constraint; joined: the planner's Pareto front. (The stored SVG "
                              + "output is the report's chart: green feasible, red misses a constraint, ringed the front.)")
            notebook.code("""
                simulated = candidates.dropna(subset=["latency_p99_s"])
                fig, ax = plt.subplots(figsize=(7, 4))
                for feasible, group in simulated.groupby("feasible"):
                    ax.scatter(group["latency_p99_s"] * 1e3, group["cost_per_h"],
                               facecolors="C0" if feasible else "none", edgecolors="C0",
                               label="feasible" if feasible else "misses a constraint")
                front = simulated[simulated["on_front"]].sort_values("latency_p99_s")
                ax.plot(front["latency_p99_s"] * 1e3, front["cost_per_h"], "--", color="C1", label="Pareto front")
                ax.set_xlabel("p99 latency (ms)")
                ax.set_ylabel("cost ($/h)")
                ax.legend()
                ax.grid(True, alpha=0.3)
                plt.show()
                """, outputs: [NotebookBuilder.figure(TradeoffChart.render(id: "notebook-plan-tradeoff", points: points, front: front),
                                                      what: "cost against p99 latency")])
        }
        return notebook.document(results: relativePath)
    }
}
