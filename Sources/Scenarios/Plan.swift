// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// A scenario's `plan:` section, expanded (docs/planner.md): the base scenario, every
/// candidate with its settings applied and checked like the file, the objective and the
/// search settings.
public struct Plan: Sendable {
    /// One point of the search space.
    public struct Candidate: Sendable {
        /// 0-based position in enumeration order (choices vary slowest, then the variables in file order).
        public var index: Int
        /// The named joint choice the candidate takes, if the plan has `choices:`.
        public var choice: String?
        /// Its settings as `(key path, value)`, the value in the file's own syntax.
        public var settings: [(keyPath: String, value: String)]
        /// The scenario with the settings applied (seed unchanged: every candidate uses the
        /// same random numbers).
        public var config: ScenarioConfig

        /// `KEY.PATH=VALUE KEY.PATH=VALUE`.
        public var settingsText: String { settings.map { "\($0.keyPath)=\($0.value)" }.joined(separator: " ") }
    }

    /// The scenario without any candidate's settings.
    public var base: ScenarioConfig
    /// Every candidate, in index order.
    public var candidates: [Candidate]
    public var objective: PlanObjective
    public var search: PlanSearchSettings
    /// The scenario's tree after `--set` overrides and includes: `scenarioYAML` edits it.
    var tree: ScenarioNode
    /// The scenario file as named by the user.
    var scenarioFile: String

    /// The key paths the candidates set, in order of first appearance (the columns of tables).
    public var keyPaths: [String] {
        var seen: [String] = []
        for candidate in candidates {
            for setting in candidate.settings where !seen.contains(setting.keyPath) { seen.append(setting.keyPath) }
        }
        return seen
    }

    /// A ready-to-run, self-contained scenario file for `candidate`, to be written into
    /// `directory`: the scenario after `--set` overrides, with its includes merged in (a
    /// setting may change an included node), the candidate's settings applied, `run.replications`
    /// set to `search.maxReplications` (so that `hybridsim run` reproduces the plan's figures),
    /// without `plan:`, `sweep:` and `include:`, and without the included models the deployment
    /// does not place. Relative paths of data files (`file:`, `log:`) are rewritten relative
    /// to `directory`. `header` lines become comments.
    public func scenarioYAML(for candidate: Candidate, directory: String, header: [String]) -> String {
        var root = tree
        var log = DiagnosticLog()
        let settings = candidate.settings.map { $0.keyPath + "=" + $0.value } + ["run.replications=\(search.maxReplications)"]
        for (i, setting) in settings.enumerated() {
            Override(index: i + 1, argument: setting).apply(to: &root, log: &log)
        }
        let placed = Set(candidate.config.deployment.placements.map(\.model))
        if case .mapping(let entries) = root.content {
            root.content = .mapping(entries.filter { !["plan", "sweep", "include"].contains($0.key.scalarText ?? "") }.map { entry in
                guard entry.key.scalarText == "models", case .mapping(let models) = entry.value.content else { return entry }
                var entry = entry
                entry.value.content = .mapping(models.filter { model in
                    placed.contains(model.key.scalarText ?? "") || [scenarioFile, SourceLocation.overrideFile].contains(model.key.location.file)
                })
                return entry
            })
        }
        root = Self.relocatingDataFiles(root, scenarioFile: scenarioFile, directory: directory)
        return header.map { "# " + $0 + "\n" }.joined() + ScenarioYAMLWriter.text(root)
    }

    /// Keys whose values name data files relative to the file they are written in.
    static let dataFileKeys: Set<String> = ["file", "log"]

    /// `node` with every relative data-file path made relative to `directory` instead of the
    /// file it was written in.
    static func relocatingDataFiles(_ node: ScenarioNode, scenarioFile: String, directory: String) -> ScenarioNode {
        var node = node
        switch node.content {
        case .mapping(var entries):
            for i in entries.indices {
                let value = entries[i].value
                if Self.dataFileKeys.contains(entries[i].key.scalarText ?? ""), value.scalarText != nil {
                    entries[i].value = relocated(value, scenarioFile: scenarioFile, directory: directory)
                } else {
                    entries[i].value = relocatingDataFiles(value, scenarioFile: scenarioFile, directory: directory)
                }
            }
            node.content = .mapping(entries)
        case .sequence(let items):
            node.content = .sequence(items.map { relocatingDataFiles($0, scenarioFile: scenarioFile, directory: directory) })
        case .scalar:
            break
        }
        return node
    }

    /// A relative path written at `node` (in the scenario or a `--set` value), rewritten
    /// relative to `directory`; absolute paths and non-paths stay as they are.
    static func relocated(_ node: ScenarioNode, scenarioFile: String, directory: String) -> ScenarioNode {
        guard let path = node.scalarText, !node.isNull, !path.hasPrefix("/") else { return node }
        let written = node.location.file == SourceLocation.overrideFile ? scenarioFile : node.location.file
        var node = node
        node.content = .scalar(relativePath(from: directory, to: TextFile.resolve(path, relativeTo: written)), plain: false)
        return node
    }

    /// The path of `target` seen from `directory` (both relative to the working directory or absolute).
    static func relativePath(from directory: String, to target: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        func components(_ path: String) -> [String] {
            let absolute = path.hasPrefix("/") ? path : (current as NSString).appendingPathComponent(path)
            return (absolute as NSString).standardizingPath.split(separator: "/").map(String.init)
        }
        let from = components(directory), to = components(target)
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
