// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results
import ScenarioModel

/// The folder a run writes (`results/<name>/` by default): `summary.json`,
/// `scenario.resolved.json` (the typed scenario with every default and include expanded),
/// `timeline.csv` (per-node samples of the first replication), `trace.csv` (with `--trace`:
/// one row per measured request, `RequestTraceFile`) and `manifest.json`. Every file is written atomically (`AtomicFile`).
public struct ResultsFolder: Sendable {
    public static let summaryFile = "summary.json"
    public static let resolvedScenarioFile = "scenario.resolved.json"
    public static let manifestFile = "manifest.json"
    public static let timelineFile = "timeline.csv"
    public static let traceFile = "trace.csv"

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The full path of a file of the folder.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes the resolved scenario: `config` by its `Encodable` keys (`resolvedScenario`), in
    /// base units (seconds, bytes, bits per second, watts, dollars per hour).
    public func writeResolvedScenario(_ config: ScenarioConfig) throws {
        try AtomicFile.write(try Self.resolvedScenarioText(config), to: file(Self.resolvedScenarioFile))
    }

    public func writeSummary(_ document: SummaryDocument) throws {
        try AtomicFile.write(document.json.rendered(), to: file(Self.summaryFile))
    }

    public func writeTimeline(_ csv: String) throws {
        try AtomicFile.write(csv, to: file(Self.timelineFile))
    }

    public func writeManifest(_ manifest: RunManifest) throws {
        try AtomicFile.write(try manifest.document().rendered(), to: file(Self.manifestFile))
    }

    /// Removes a `summary.json`, `timeline.csv` and `trace.csv` left by an earlier run (a
    /// failed run leaves none of them).
    public func removeStaleSummary() {
        removeStale([Self.summaryFile, Self.timelineFile, Self.traceFile])
    }

    /// Removes a `trace.csv` left by an earlier run (a run without `--trace` must not leave
    /// one that describes other results).
    public func removeStaleTrace() {
        removeStale([Self.traceFile])
    }

    private func removeStale(_ names: [String]) {
        for name in names {
            let target = file(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), !isDirectory.boolValue {
                try? FileManager.default.removeItem(atPath: target)
            }
        }
    }

    /// The names of the folder's files that exist, in a fixed order.
    public func existingFiles() -> [String] {
        [Self.resolvedScenarioFile, Self.summaryFile, Self.timelineFile, Self.traceFile, Self.manifestFile].filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: file(name), isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
