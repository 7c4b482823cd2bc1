// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// What a results folder of `hybridsim run` holds, read from its `manifest.json` before it is
/// reported, checked against or replaced.
///
/// `run` writes `manifest.json` first with `outcome: running` and last with the outcome
/// (`ok`, `unstable` or `failed`), so a folder whose manifest still says `running` was interrupted
/// (Ctrl-C, a kill, a crash) or is being written now: its other files may mix two runs.
public enum ResultsFolderState: Equatable, Sendable {
    /// No manifest (an empty or new folder, or one written before manifests existed).
    case noManifest
    /// The manifest says `running`: the folder is incomplete.
    case incomplete
    /// The manifest gives a final outcome (`ok`, `unstable` or `failed`).
    case finished(outcome: String)
    /// The manifest is not JSON with a string `outcome`.
    case unreadable(String)

    /// The state of the folder at `directory`.
    public static func of(directory: String) -> ResultsFolderState {
        let path = directory + "/" + ResultsFolder.manifestFile
        guard FileManager.default.fileExists(atPath: path) else { return .noManifest }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .unreadable("\(path) cannot be read as UTF-8 text")
        }
        guard let document = try? JSONValue.parse(text), case .string(let outcome)? = document[path: "outcome"] else {
            return .unreadable("\(path) is not a manifest (JSON with an `outcome`)")
        }
        return outcome == RunManifest.Outcome.running.rawValue ? .incomplete : .finished(outcome: outcome)
    }

    /// Why a reader must not use the folder at `directory`, or nil when it may.
    public static func refusal(directory: String) -> String? {
        switch of(directory: directory) {
        case .incomplete:
            "\(directory): incomplete results: its manifest.json says `outcome: running`, so the run that writes this "
                + "folder was interrupted or has not finished; its files may mix two runs. Run the scenario again "
                + "(or wait for the running one)"
        case .unreadable(let why): "\(directory): \(why)"
        case .noManifest, .finished: nil
        }
    }
}

extension ResultsFolder {
    /// The resolved scenario of `config` as `writeResolvedScenario` writes it: the typed
    /// scenario's `Encodable` keys (their `CodingKeys`, in declaration order), every setting
    /// shown, an unset optional one as `null`.
    public static func resolvedScenario(_ config: ScenarioConfig) throws -> JSONValue {
        try JSONValueEncoder.encode(config, optionals: .null)
    }

    /// The text of `resolvedScenario(_:)`.
    public static func resolvedScenarioText(_ config: ScenarioConfig) throws -> String {
        try resolvedScenario(config).rendered()
    }

    /// Why writing the results of `config` — loaded from `scenarioFile` with `overrides` (the
    /// `--set` values, then `seed=N`) — here would replace the complete results of another
    /// configuration, or nil when the folder is new, incomplete, failed or holds the same one.
    ///
    /// Another configuration: the resolved scenarios differ *and* the run was asked for
    /// differently (another scenario file or other overrides, by the old manifest). A scenario
    /// edited between two runs of the same command, or defaults changed by a newer hybridsim,
    /// give a different resolved scenario for the same request: that is the user's rerun, and
    /// it replaces the folder. The message names the first setting that differs.
    public func replacementConflict(with config: ScenarioConfig, scenarioFile: String, overrides: [String]) -> String? {
        guard case .finished(let outcome) = ResultsFolderState.of(directory: path), [RunManifest.Outcome.ok.rawValue, RunManifest.Outcome.unstable.rawValue].contains(outcome),
              let old = try? String(contentsOfFile: file(Self.resolvedScenarioFile), encoding: .utf8)
        else { return nil }
        // The typed scenario's encoders throw nothing: `try?` only satisfies the signature.
        guard let resolved = try? Self.resolvedScenario(config), old != resolved.rendered() else { return nil }
        if let text = try? String(contentsOfFile: file(Self.manifestFile), encoding: .utf8),
           let manifest = try? JSONValue.parse(text),
           manifest[path: "scenario_file"] == .string(scenarioFile),
           manifest[path: "overrides"] == .array(overrides.map { .string($0) }) {
            return nil
        }
        var difference = ""
        if let oldValue = try? JSONValue.parse(old), let key = Self.firstDifference(oldValue, resolved) {
            difference = " (they differ first at `\(key.isEmpty ? "the whole scenario" : key)`)"
        }
        return "\(path)/ holds the results of another configuration: its scenario.resolved.json is not the scenario "
            + "of this run\(difference). Add --force to replace them, or --out DIR to write this run elsewhere"
    }

    /// The dotted path of the first place where `a` and `b` differ, or nil when they are equal.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, at path: String = "") -> String? {
        func joined(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for (key, value) in x {
                guard let other = y.first(where: { $0.0 == key })?.1 else { return joined(key) }
                if let found = firstDifference(value, other, at: joined(key)) { return found }
            }
            if let extra = y.first(where: { key in !x.contains(where: { $0.0 == key.0 }) }) { return joined(extra.0) }
            return nil
        case (.array(let x), .array(let y)):
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let found = firstDifference(u, v, at: joined(String(i))) { return found }
            }
            return x.count == y.count ? nil : joined(String(min(x.count, y.count)))
        default:
            return a.rendered() == b.rendered() ? nil : path
        }
    }
}
