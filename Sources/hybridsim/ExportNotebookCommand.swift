// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Reporting

/// `hybridsim export notebook DIR [--to notebooks-export/]`: a Jupyter notebook over a results folder.
struct ExportNotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Write a Jupyter notebook (nbformat 4.5) that explains, loads and plots a results folder.",
        discussion: """
            Writes TO/<folder name>.ipynb. Its code cells load the folder's files with pandas by a path relative to
            the notebook (summary.json of a run, sweep.csv of a sweep, plan.json and pareto.csv of a plan) and plot
            with matplotlib; outputs are pre-rendered (tables as text, charts as SVG drawn by hybridsim), so it
            reads well without running.
            Examples:
              hybridsim export notebook results/image-collaborative
              hybridsim export notebook results/mmc --to /tmp/notebooks
              hybridsim export notebook results/sweep-example-sweep
            """)

    @Argument(help: "A results folder written by `hybridsim run`, `sweep` (or `merge`) or `plan`.")
    var directory: String

    @Option(name: .long, help: "The folder to write the notebook to.")
    var to: String = "notebooks-export"

    func validate() throws {
        try OutputPathCheck.check(to, option: "--to", folder: true)
    }

    func run() throws {
        let relative = NotebookExport.relativePath(from: to, to: directory)
        if ReportedSweep.isSweep(directory: directory) || ReportedPlan.isPlan(directory: directory) {
            let (name, notebook): (String, JSONValue)
            do {
                if ReportedSweep.isSweep(directory: directory) {
                    let sweep = try ReportedSweep.load(directory: directory)
                    (name, notebook) = (sweep.name, SweepNotebook.make(sweep, relativePath: relative))
                } else {
                    let plan = try ReportedPlan.load(directory: directory)
                    (name, notebook) = (plan.name, PlanNotebook.make(plan, relativePath: relative))
                }
            } catch {
                throw CommandFailure.invalid("error: \(error)")
            }
            try write(notebook, name: name)
            return
        }
        let run: ReportedRun
        do {
            run = try ReportedRun.load(directory: directory)
        } catch {
            throw CommandFailure.invalid("error: \(error)")
        }
        guard run.summary != nil else {
            throw CommandFailure.invalid("error: \(directory): no summary.json (the run failed); nothing to load in a notebook")
        }
        var resolved: JSONValue?
        let resolvedPath = directory + "/" + ResultsFolder.resolvedScenarioFile
        if let text = try? String(contentsOfFile: resolvedPath, encoding: .utf8) { resolved = try? JSONValue.parse(text) }
        try write(NotebookExport.make(run, resolved: resolved, relativePath: relative), name: run.name)
    }

    /// Writes TO/NAME.ipynb and says so.
    private func write(_ notebook: JSONValue, name: String) throws {
        let target = to + "/" + name + ".ipynb"
        do {
            try AtomicFile.write(notebook.rendered(), to: target)
        } catch {
            throw CommandFailure.failed("cannot write \(target): \(error.localizedDescription)")
        }
        print("wrote \(target)")
    }
}
