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
        abstract: "Run a scenario and write DIR/summary.json.",
        discussion: """
            Examples:
              hybridsim run scenarios/mmc-example.yaml
              hybridsim run scenarios/mmc-example.yaml --seed 3 --out /tmp/mmc --quiet
              hybridsim run scenarios/mmc-example.yaml --set run.replications=10 --set workload.0.arrivals.rate=3.5/s
            """)

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .long, help: "Output directory (default: results/<scenario name>/).")
    var out: String?

    @Option(name: .long, help: "Master seed, replacing the scenario's `seed`.")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a scenario value: KEY.PATH=VALUE in the file's own syntax (repeatable).",
        valueName: "KEY.PATH=VALUE"))
    var overrides: [String] = []

    @Option(name: .long, help: "Threads that run replications (default: all cores). Results do not depend on it.")
    var jobs: Int?

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        var allOverrides = overrides
        if let seed { allOverrides.append("seed=\(seed)") }
        let config = try ScenarioInput.load(file, overrides: allOverrides)
        let outcome: ReplicationRunner.Outcome
        do {
            outcome = try ReplicationRunner.run(config, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        } catch {
            throw CommandFailure.failed("\(file): the scenario could not be simulated: \(error)")
        }
        let directory = out ?? "results/\(config.name)"
        let document = SummaryDocument.make(outcome.summary, wallSeconds: outcome.wallSeconds)
        do {
            try AtomicFile.write(document.rendered(), to: directory + "/summary.json")
        } catch {
            throw CommandFailure.failed("cannot write \(directory)/summary.json: \(error.localizedDescription)")
        }
        if !quiet {
            print(SummaryTable.render(outcome.summary, wallSeconds: outcome.wallSeconds), terminator: "")
            print("wrote \(directory)/summary.json")
        }
    }
}
