// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import InferenceSim
import Planning
import Reporting
import Scenarios

/// `hybridsim run FILE`: simulate a scenario, write `summary.json`, print a summary.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write DIR/summary.json, scenario.resolved.json and manifest.json.",
        discussion: """
            Exit 0 ok, 2 invalid scenario or arguments, 4 the system is unstable: the run stopped early and
            summary.json says `outcome: unstable` with the evidence (docs/cli.md), 1 any other failure.
            Examples:
              hybridsim run scenarios/mmc-example.yaml
              hybridsim run scenarios/mmc-example.yaml --seed 3 --out /tmp/mmc --quiet
              hybridsim run scenarios/image-collaborative.yaml --trace
              hybridsim run scenarios/bench/large.yaml --trace --trace-limit 100000
              hybridsim run scenarios/mmc-example.yaml --set run.replications=10 \\
                  --set workload.0.arrivals.rate=3.5/s
            """)

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @OptionGroup var output: OutOption<Self>

    @OptionGroup var seed: SeedOption

    @OptionGroup var settings: SetOptions<Self>

    @OptionGroup var jobs: JobsOption<Self>

    @OptionGroup var quietFlag: QuietFlag<Self>

    @Flag(name: .long, help: "Also write DIR/trace.csv: one row per measured request (times and latency breakdown).")
    var trace = false

    @Option(name: .long, help: "With --trace: at most N rows per replication (its first N measured requests to leave).")
    var traceLimit: Int?

    @Flag(name: .long, help: "Replace a results folder that holds the complete results of another configuration (another seed, --set value or scenario).")
    var force = false

    func validate() throws {
        try OutputPathCheck.check(output.out, folder: true)
        if let traceLimit {
            guard trace else { throw ValidationError("--trace-limit limits the trace: add --trace") }
            guard traceLimit >= 1 else { throw ValidationError("--trace-limit must be at least 1 (got \(traceLimit))") }
        }
    }

    func run() throws {
        let started = ContinuousClock.now
        let allOverrides = seed.applied(to: settings.overrides)
        // Decoded once; its warnings are printed before a run they may slow down.
        let config = try ScenarioInput.loadWarning(file, overrides: allOverrides)
        let folder = ResultsFolder(path: output.out ?? "results/\(config.name)")
        if !force, let conflict = folder.replacementConflict(with: config, scenarioFile: file, overrides: allOverrides) {
            throw CommandFailure.invalid("error: " + conflict)
        }
        let execution = ScenarioExecution(config: config, file: file, overrides: allOverrides,
                                          jobs: jobs.threads, started: started, quiet: quietFlag.quiet, trace: trace,
                                          traceLimit: traceLimit)
        let outcome = try execution.run(writingTo: folder)
        if !quietFlag.quiet {
            print(SummaryTable.render(outcome.summary, wallSeconds: outcome.wallSeconds), terminator: "")
            print("wrote \(folder.path)/: " + folder.existingFiles().joined(separator: ", "))
        }
        if let instability = outcome.summary.instability {
            throw CommandFailure.unstable("\(file): \(instability.warning) (evidence: \(folder.file(ResultsFolder.summaryFile)), "
                                          + "key `instability`)")
        }
    }
}

extension RunCommand: SharedOptionHelp {
    static let out = "Output directory (default: results/<scenario name>/)."
    static let quiet = "Print nothing on success, and no progress line."
}
