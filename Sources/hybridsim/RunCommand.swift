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

    @Option(name: .long, help: "Output directory (default: results/<scenario name>/).")
    var out: String?

    @Option(name: .long, help: "Master seed, replacing the scenario's `seed`.")
    var seed: UInt64?

    @OptionGroup var scenario: ScenarioOptions

    @Flag(name: .long, help: "Print nothing on success, and no progress line.")
    var quiet = false

    @Flag(name: .long, help: "Also write DIR/trace.csv: one row per measured request (times and latency breakdown).")
    var trace = false

    @Option(name: .long, help: "With --trace: at most N rows per replication (its first N measured requests to leave).")
    var traceLimit: Int?

    @Flag(name: .long, help: "Replace a results folder that holds the complete results of another configuration (another seed, --set value or scenario).")
    var force = false

    func validate() throws {
        try OutputPathCheck.check(out, folder: true)
        if let traceLimit {
            guard trace else { throw ValidationError("--trace-limit limits the trace: add --trace") }
            guard traceLimit >= 1 else { throw ValidationError("--trace-limit must be at least 1 (got \(traceLimit))") }
        }
    }

    func run() throws {
        let started = ContinuousClock.now
        var allOverrides = scenario.overrides
        if let seed { allOverrides.append("seed=\(seed)") }
        let config = try ScenarioInput.load(file, overrides: allOverrides)
        ScenarioInput.printWarnings(file, overrides: allOverrides)  // before a run they may slow down
        let folder = ResultsFolder(path: out ?? "results/\(config.name)")
        if !force, let conflict = folder.replacementConflict(with: config, scenarioFile: file, overrides: allOverrides) {
            throw CommandFailure.invalid("error: " + conflict)
        }
        let execution = ScenarioExecution(config: config, file: file, overrides: allOverrides,
                                          jobs: scenario.threads, started: started, quiet: quiet, trace: trace,
                                          traceLimit: traceLimit)
        let outcome = try execution.run(writingTo: folder)
        if !quiet {
            print(SummaryTable.render(outcome.summary, wallSeconds: outcome.wallSeconds), terminator: "")
            print("wrote \(folder.path)/: " + folder.existingFiles().joined(separator: ", "))
        }
        if let instability = outcome.summary.instability {
            throw CommandFailure.unstable("\(file): \(instability.warning) (evidence: \(folder.file(ResultsFolder.summaryFile)), "
                                          + "key `instability`)")
        }
    }
}
