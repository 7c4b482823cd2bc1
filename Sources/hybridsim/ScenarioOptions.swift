// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation

/// The options every command that runs a scenario shares: `--set` overrides and `--jobs`.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a scenario value: KEY.PATH=VALUE in the file's own syntax (repeatable).",
        valueName: "KEY.PATH=VALUE"))
    var overrides: [String] = []

    @Option(name: .long, help: "Threads that run replications (default: all cores). Results do not depend on it.")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// `--jobs`, or every core.
    var threads: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}
