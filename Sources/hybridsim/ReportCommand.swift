// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Reporting

/// `hybridsim report DIR...`: one self-contained HTML file over results folders.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (charts as inline SVG) over results folders.",
        discussion: """
            One folder: DIR/report.html with its figures, latency CDF and utilisation per node. Several folders:
            also a side-by-side table, the CDFs overlaid and the cost / p99 / accuracy trade-off with its Pareto
            front, written to notebooks-export/report.html unless --out says otherwise. A sweep's folder (it holds
            sweep.csv) gets a table of its points, their trade-off and p99 across the first numeric swept setting; a
            planner's folder (plan.json) its best plan, binding constraint, near misses and Pareto front; a
            calibration's folder (calibration.json) the CDF of the data against the chosen and runner-up fits.
            Examples:
              hybridsim report results/image-collaborative
              hybridsim report results/source-claims/* --out /tmp/claims.html
              hybridsim report results/sweep-example-sweep
              hybridsim report results/plan-example-plan
              hybridsim report results/calibration-handler
            """)

    @Argument(help: "Results folders written by `hybridsim run` (summary.json, manifest.json) `hybridsim sweep` (sweep.csv) or `hybridsim plan` (plan.json).")
    var directories: [String]

    @OptionGroup var output: OutOption<Self>

    func validate() throws {
        try OutputPathCheck.check(output.out)
        if directories.isEmpty { throw ValidationError("name at least one results folder") }
    }

    func run() throws {
        if directories.count == 1, CalibrationChart.isCalibration(directory: directories[0]) {
            return try writeCalibration(directories[0])
        }
        var runs: [ReportedRun] = []
        var sweeps: [ReportedSweep] = []
        var plans: [ReportedPlan] = []
        var problems: [String] = []
        for directory in directories {
            do {
                if ReportedPlan.isPlan(directory: directory) {
                    plans.append(try ReportedPlan.load(directory: directory))
                } else if ReportedSweep.isSweep(directory: directory) {
                    sweeps.append(Self.withObjectives(try ReportedSweep.load(directory: directory)))
                } else {
                    runs.append(try ReportedRun.load(directory: directory))
                }
            } catch {
                problems.append("error: \(error)")
            }
        }
        if !problems.isEmpty { throw CommandFailure.invalid(problems.joined(separator: "\n")) }
        let target = output.out ?? (directories.count == 1 ? directories[0] + "/report.html" : "notebooks-export/report.html")
        do {
            try AtomicFile.write(HTMLReport.render(runs, sweeps: sweeps, plans: plans), to: target)
        } catch {
            throw CommandFailure.failed("cannot write \(target): \(error.localizedDescription)")
        }
        print("wrote \(target)")
    }

    /// A calibration folder (`hybridsim calibrate`): its own page, the fit against the data.
    private func writeCalibration(_ directory: String) throws {
        let target = output.out ?? directory + "/report.html"
        let page: String
        do {
            page = try CalibrationChart.page(directory: directory)
        } catch {
            throw CommandFailure.invalid("error: \(directory)/calibration.json: \(error)")
        }
        do {
            try AtomicFile.write(page, to: target)
        } catch {
            throw CommandFailure.failed("cannot write \(target): \(error.localizedDescription)")
        }
        print("wrote \(target)")
    }
}

extension ReportCommand: SharedOptionHelp {
    static let out = "The HTML file to write (default: DIR/report.html, or notebooks-export/report.html for several)."
}
