// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// A results folder read back for a report or a notebook: its `summary.json` (typed) and
/// `manifest.json`, either of which may be missing (a failed run has only a manifest).
public struct ReportedRun: Sendable {
    /// Why a folder cannot be reported.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public var directory: String
    public var summary: SummaryDocument?
    public var manifest: JSONValue?
    /// The first replication's `timeline.csv`, when the folder has one.
    public var timeline: TimelineSeries?

    /// The run's label: the folder's name (`results/<scenario>/` by default), which tells
    /// apart runs of one scenario with different overrides.
    public var name: String {
        URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
    }

    public init(directory: String, summary: SummaryDocument?, manifest: JSONValue?, timeline: TimelineSeries? = nil) {
        self.directory = directory
        self.summary = summary
        self.manifest = manifest
        self.timeline = timeline
    }

    /// Reads `directory`; throws when it is incomplete (its manifest says `running`,
    /// `ResultsFolderState`), holds neither file, one that is not JSON, a summary without the
    /// keys CONTRACT.md pins, or a malformed `timeline.csv`.
    public static func load(directory: String) throws -> ReportedRun {
        func read(_ name: String) throws -> JSONValue? {
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            do {
                return try JSONValue.parse(String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw LoadError(description: "\(path): not readable JSON: \(error)")
            }
        }
        if let refusal = ResultsFolderState.refusal(directory: directory) { throw LoadError(description: refusal) }
        let summaryJSON = try read(ResultsFolder.summaryFile), manifest = try read(ResultsFolder.manifestFile)
        var summary: SummaryDocument?
        if let summaryJSON {
            do {
                summary = try SummaryDocument(json: summaryJSON)
            } catch {
                throw LoadError(description: "\(directory)/\(ResultsFolder.summaryFile): \(error)")
            }
        }
        guard summary != nil || manifest != nil else {
            throw LoadError(description: "\(directory): no summary.json or manifest.json: not a results folder of `hybridsim run`")
        }
        let timelinePath = directory + "/" + ResultsFolder.timelineFile
        var timeline: TimelineSeries?
        if FileManager.default.fileExists(atPath: timelinePath) {
            do {
                timeline = try TimelineSeries(csv: String(contentsOfFile: timelinePath, encoding: .utf8))
            } catch let error as LoadError {
                throw LoadError(description: "\(directory)/\(error.description)")
            } catch {
                throw LoadError(description: "\(timelinePath): not readable: \(error)")
            }
        }
        return ReportedRun(directory: directory, summary: summary, manifest: manifest, timeline: timeline)
    }

    /// A key figure of the summary, if the folder has one and the run measured it.
    public func number(_ figure: SummaryFigure) -> Double? { summary.flatMap(figure.value) }

    /// Utilisation of every node of the summary, in its order.
    public var utilizations: [(name: String, utilization: Double)] {
        summary?.nodes.entries.map { ($0.name, $0.value.utilization) } ?? []
    }
}
