// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Planning
import Reporting
import Results
import ScenarioModel

/// Runs a loaded scenario and, when given a folder, writes its results folder: `manifest.json`
/// first with `outcome: running` (and a summary, timeline or trace of an earlier run removed),
/// then the resolved scenario, `summary.json` and `timeline.csv` (first replication), then
/// `manifest.json` again with the outcome — which is written also when the run or a write
/// failed, saying why. Shared by `run` and `check`.
struct ScenarioExecution {
    var config: ScenarioConfig
    var file: String
    var overrides: [String]
    var jobs: Int
    /// When the command started (the manifest's wall time covers loading too).
    var started: ContinuousClock.Instant
    /// No progress line even on a terminal (`--quiet`).
    var quiet = false
    /// Write `trace.csv` (one row per measured request) into the folder.
    var trace = false
    /// With `trace`: at most this many rows per replication (nil: all).
    var traceLimit: Int? = nil

    /// Runs the replications; writes `folder` when non-nil. Throws `CommandFailure.failed`.
    func run(writingTo folder: ResultsFolder?) throws -> ReplicationRunner.Outcome {
        var manifest = RunManifest(scenario: config.name, scenarioFile: file, overrides: overrides, seed: config.seed,
                                   replications: config.run.replications, gitCommit: folder == nil ? nil : GitCommit.current())
        if let folder {
            // The manifest first, as `running`: until the last write replaces it, a reader
            // (and `report` / `check`) knows the folder is incomplete.
            manifest.outcome = .running
            manifest.files = [ResultsFolder.manifestFile]
            do {
                try folder.writeManifest(manifest)
            } catch {
                throw CommandFailure.failed("cannot write \(folder.file(ResultsFolder.manifestFile)): "
                                            + error.localizedDescription)
            }
            folder.removeStaleSummary()
            AtomicFile.removeLeftovers(in: folder.path)
        }
        do {
            try folder?.writeResolvedScenario(config)
        } catch {
            throw fail(&manifest, folder, "cannot write \(folder!.file(ResultsFolder.resolvedScenarioFile)): "
                         + error.localizedDescription)
        }
        let outcome: ReplicationRunner.Outcome
        let traceFile = trace ? folder.map { RequestTraceFile(path: $0.file(ResultsFolder.traceFile), rowsPerReplication: traceLimit) } : nil
        if traceFile == nil { folder?.removeStaleTrace() }
        var sinks: (@Sendable (Int) throws -> any RequestTraceSink)?
        if let traceFile {
            sinks = { replication in try traceFile.sink(replication: replication) }
        }
        do {
            outcome = try ReplicationRunner.run(config, jobs: jobs,
                                                options: MeasurementOptions(timelineReplications: folder == nil ? 0 : 1),
                                                progress: progressReporter(), trace: sinks)
        } catch {
            throw fail(&manifest, folder, "\(file): the scenario could not be simulated: \(error)")
        }
        if let folder {
            do {
                try folder.writeSummary(SummaryDocument(outcome.summary, wallSeconds: outcome.wallSeconds))
            } catch {
                throw fail(&manifest, folder, "cannot write \(folder.file(ResultsFolder.summaryFile)): "
                             + error.localizedDescription)
            }
            if let traceFile {
                do { try traceFile.finish(replications: outcome.results.count) } catch {
                    throw fail(&manifest, folder, "cannot write \(traceFile.path): " + error.localizedDescription)
                }
            }
            if let csv = TimelineTable.csv(outcome.results) {
                do { try folder.writeTimeline(csv) } catch {
                    throw fail(&manifest, folder, "cannot write \(folder.file(ResultsFolder.timelineFile)): "
                                 + error.localizedDescription)
                }
            }
            if let note = record(&manifest, folder, failure: nil, instability: outcome.summary.instability) {
                throw CommandFailure.failed(note)
            }
        }
        return outcome
    }

    /// The progress line's reporter: requests measured over every replication (simulated
    /// seconds for a run by `duration`); nil when no line is shown.
    private func progressReporter() -> (@Sendable (Double) -> Void)? {
        let replications = Double(max(1, config.run.replications))
        let (perReplication, unit) = config.run.requests.map { (Double($0), "requests") }
            ?? (config.run.duration ?? 0, "simulated s")
        let total = perReplication * replications
        guard let line = ProgressLine(total: total, unit: unit, quiet: quiet) else { return nil }
        return { fraction in line.update(done: fraction * total) }
    }

    /// Records `message` in the manifest (when there is a folder) and returns the failure to throw.
    private func fail(_ manifest: inout RunManifest, _ folder: ResultsFolder?, _ message: String) -> CommandFailure {
        guard let folder else { return CommandFailure.failed(message) }
        let note = record(&manifest, folder, failure: message)
        return CommandFailure.failed(note.map { message + "; " + $0 } ?? message)
    }

    /// Writes the manifest (outcome `ok` when `failure` is nil, `unstable` with the evidence's
    /// message when `instability` is set); returns why it could not, if so.
    private func record(_ manifest: inout RunManifest, _ folder: ResultsFolder, failure: String?,
                        instability: RunInstability? = nil) -> String? {
        if failure != nil { folder.removeStaleSummary() }
        let elapsed = ContinuousClock.now - started
        manifest.wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        manifest.outcome = failure != nil ? .failed : instability != nil ? .unstable : .ok
        manifest.message = failure ?? instability?.warning
        manifest.files = folder.existingFiles().filter { $0 != ResultsFolder.manifestFile } + [ResultsFolder.manifestFile]
        do {
            try folder.writeManifest(manifest)
            return nil
        } catch {
            return "cannot write \(folder.file(ResultsFolder.manifestFile)): \(error.localizedDescription)"
        }
    }
}
