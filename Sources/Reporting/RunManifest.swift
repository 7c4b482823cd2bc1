// SPDX-License-Identifier: GPL-3.0-or-later

/// `manifest.json` of a results folder: what ran (version, git commit, scenario, seed,
/// replications), how long it took, and whether it succeeded — written even when the run
/// failed after the scenario was loaded, with the reason.
public struct RunManifest: Sendable {
    /// How the run ended; `running` until it has (written first, so that an interrupted run
    /// leaves a folder marked incomplete, `ResultsFolderState`).
    public enum Outcome: String, Sendable {
        case ok, failed, running
        /// Complete, but stopped early as unstable: `summary.json` holds the evidence and
        /// lower-bound figures (docs/summary.md, "Unstable runs").
        case unstable
    }

    public var scenario: String
    public var scenarioFile: String
    public var overrides: [String]
    public var seed: UInt64
    public var replications: Int
    /// `git rev-parse HEAD` in the working directory, when it answered.
    public var gitCommit: String?
    /// Wall-clock seconds of the whole command (loading, running, writing).
    public var wallSeconds: Double = 0
    public var outcome: Outcome = .failed
    /// Why the run failed, or what made it unstable; nil when it succeeded.
    public var message: String?
    /// The files of the folder, by name.
    public var files: [String] = []

    public init(scenario: String, scenarioFile: String, overrides: [String], seed: UInt64, replications: Int,
                gitCommit: String?) {
        self.scenario = scenario
        self.scenarioFile = scenarioFile
        self.overrides = overrides
        self.seed = seed
        self.replications = replications
        self.gitCommit = gitCommit
    }

    /// The manifest as JSON, keys in a fixed order.
    public func document() -> JSONValue {
        .object([
            ("hybridsim_version", .string(HybridsimVersion.string)),
            ("git_commit", gitCommit.map { .string($0) } ?? .null),
            ("scenario", .string(scenario)),
            ("scenario_file", .string(scenarioFile)),
            ("overrides", .array(overrides.map { .string($0) })),
            ("seed", .uint(seed)),
            ("replications", .int(Int64(replications))),
            ("wall_s", .double(wallSeconds)),
            ("outcome", .string(outcome.rawValue)),
            ("message", message.map { .string($0) } ?? .null),
            ("files", .array(files.map { .string($0) })),
        ])
    }
}
