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
}

/// The keys of `manifest.json` (CONTRACT.md), in the file's order. `hybridsim_version` is the
/// running program's; an absent `git_commit` or `message` is written `null`.
extension RunManifest: Encodable {
    enum CodingKeys: String, CodingKey {
        case hybridsimVersion = "hybridsim_version", gitCommit = "git_commit", scenario, scenarioFile = "scenario_file"
        case overrides, seed, replications, wallSeconds = "wall_s", outcome, message, files
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(HybridsimVersion.string, forKey: .hybridsimVersion)
        try container.encode(gitCommit, forKey: .gitCommit)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(scenarioFile, forKey: .scenarioFile)
        try container.encode(overrides, forKey: .overrides)
        try container.encode(seed, forKey: .seed)
        try container.encode(replications, forKey: .replications)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(outcome.rawValue, forKey: .outcome)
        try container.encode(message, forKey: .message)
        try container.encode(files, forKey: .files)
    }

    /// The manifest as JSON, keys in the order of `CodingKeys`.
    public func document() throws -> JSONValue {
        try JSONValueEncoder.encode(self)
    }
}
