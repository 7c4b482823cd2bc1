// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Planning
import PlanningFiles
import Reporting
import Scenarios

/// `hybridsim plan FILE`: search the file's `plan:` space for the best plan meeting its
/// `slo:`; write plan.json, pareto.csv and best.yaml (docs/planner.md). Exit 3 when no
/// candidate is feasible.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Search the scenario's plan: space for the best plan meeting its slo:; write plan.json, pareto.csv, best.yaml.",
        discussion: """
            Screens candidates analytically, then simulates the survivors with common random numbers,
            racing them in stages of replications and pruning by the objective's bound.
            Exit codes: 0 a plan was found, 3 no candidate is feasible, 2 invalid scenario or arguments.
            Examples:
              hybridsim plan scenarios/plan-example.yaml
              hybridsim plan scenarios/plan-example.yaml --exhaustive \\
                  --out results/plan-example-exhaustive
            """)

    @Argument(help: "The scenario file (YAML) with a `plan:` section.")
    var file: String

    @OptionGroup var output: OutOption<Self>

    @OptionGroup var seed: SeedOption

    @OptionGroup var settings: SetOptions<Self>

    @OptionGroup var jobs: JobsOption<Self>

    @Flag(name: .long, help: "Simulate every candidate with all replications (no screening, racing or pruning): the reference.")
    var exhaustive = false

    @OptionGroup var quietFlag: QuietFlag<Self>

    func validate() throws {
        try OutputPathCheck.check(output.out, folder: true)
    }

    func run() throws {
        let allOverrides = seed.applied(to: settings.overrides)
        let plan: Plan
        do {
            plan = try ScenarioLoader.loadPlan(path: file, overrides: allOverrides)
        } catch {
            throw CommandFailure.invalid(error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
        let outcome: PlanOutcome
        do {
            var progress: (@Sendable (Int) -> Void)?
            if let display = ProgressLine(total: Double(plan.candidates.count), unit: "candidates", quiet: quietFlag.quiet) {
                progress = { display.update(done: Double($0)) }
            }
            outcome = try PlanSearch.run(plan, jobs: jobs.threads, exhaustive: exhaustive, progress: progress)
        } catch {
            throw CommandFailure.failed("\(file): a candidate could not be simulated: \(error)")
        }
        let directory = output.out ?? "results/\(plan.base.name)-plan"
        let folder = ResultsFolder(path: directory)
        var written = [PlanFiles.planFile, PlanFiles.paretoFile]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(PlanFiles.json(outcome).rendered(), to: folder.file(PlanFiles.planFile))
            try AtomicFile.write(PlanFiles.paretoCSV(outcome), to: folder.file(PlanFiles.paretoFile))
            let best = folder.file(PlanFiles.bestScenarioFile)
            if let index = outcome.best {
                let candidate = plan.candidates[index]
                let header = ["The best plan found by `hybridsim plan \(file)` (\(plan.objective.description)): candidate \(index).",
                              "Settings: \(candidate.settingsText)",
                              "Run it with: hybridsim run \(best)"]
                try AtomicFile.write(plan.scenarioYAML(for: candidate, directory: directory, header: header), to: best)
                try folder.writeResolvedScenario(candidate.config)
                written += [PlanFiles.bestScenarioFile, ResultsFolder.resolvedScenarioFile]
            } else {
                // A best.yaml of an earlier search would now be wrong.
                try? FileManager.default.removeItem(atPath: best)
                try? FileManager.default.removeItem(atPath: folder.file(ResultsFolder.resolvedScenarioFile))
            }
        } catch {
            throw CommandFailure.failed("cannot write \(directory): \(error.localizedDescription)")
        }
        let table = PlanFiles.table(outcome)
        guard outcome.best != nil else {
            throw CommandFailure(message: table + "wrote \(directory)/: " + written.joined(separator: ", ") + "\n", exitCode: 3)
        }
        if !quietFlag.quiet {
            print(table, terminator: "")
            print("wrote \(directory)/: " + written.joined(separator: ", "))
        }
    }
}

extension PlanCommand: SharedOptionHelp {
    static let out = "Output directory (default: results/<scenario name>-plan/)."
}
