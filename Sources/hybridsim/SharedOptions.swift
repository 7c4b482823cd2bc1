// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Scenarios

/// What one command says about the options it shares with others. Help texts are part of the
/// command line (CONTRACT.md), so each command keeps its own words; the option's name, type,
/// parsing and checks are written once, in the groups below.
protocol SharedOptionHelp {
    /// `--out`: where the command writes.
    static var out: String { get }
    /// `--quiet`.
    static var quiet: String { get }
    /// `--set`.
    static var set: String { get }
    /// `--jobs`.
    static var jobs: String { get }
}

extension SharedOptionHelp {
    static var out: String { "Output directory." }
    static var quiet: String { "Print nothing on success." }
    static var set: String { "Override a scenario value: KEY.PATH=VALUE in the file's own syntax (repeatable)." }
    static var jobs: String { "Threads that run replications (default: all cores). Results do not depend on it." }
}

/// `--out PATH`.
struct OutOption<Help: SharedOptionHelp>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Help.out))
    var out: String?
}

/// `--seed N`: the master seed, replacing the scenario's `seed`.
struct SeedOption: ParsableArguments {
    @Option(name: .long, help: "Master seed, replacing the scenario's `seed`.")
    var seed: UInt64?

    /// `overrides` followed by the override `--seed N` stands for, when it was given.
    func applied(to overrides: [String]) -> [String] {
        overrides + (seed.map { [ScenarioLoader.seedOverride($0)] } ?? [])
    }
}

/// `--quiet`.
struct QuietFlag<Help: SharedOptionHelp>: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(Help.quiet))
    var quiet = false
}

/// `--set KEY.PATH=VALUE`, repeatable.
struct SetOptions<Help: SharedOptionHelp>: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(Help.set, valueName: "KEY.PATH=VALUE"))
    var overrides: [String] = []
}

/// `--jobs J`: threads (at least 1; every core by default). Results never depend on it.
struct JobsOption<Help: SharedOptionHelp>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Help.jobs))
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// `--jobs`, or every core.
    var threads: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }
}
