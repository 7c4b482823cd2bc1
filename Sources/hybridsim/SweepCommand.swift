// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Planning
import PlanningFiles
import Reporting
import Scenarios

/// `hybridsim sweep FILE`: run every point of the file's `sweep:` section (or one shard of
/// them) into DIR/sweep.sqlite and DIR/sweep.csv; resumable (docs/sweeps.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of the scenario's sweep: section; write DIR/sweep.sqlite and DIR/sweep.csv.",
        discussion: """
            Seeds derive from each point's settings, so results do not depend on --jobs or --shard.
            Rerunning with the same arguments skips the points already in DIR (resume).
            Examples:
              hybridsim sweep scenarios/sweep-example.yaml --jobs 2
              hybridsim sweep scenarios/sweep-example.yaml --shard 0/2
              hybridsim sweep scenarios/sweep-example.yaml --shard 1/2
              hybridsim merge results/sweep-example-sweep/shard-*-of-2
            """)

    @Argument(help: "The scenario file (YAML) with a `sweep:` section.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Run only shard I of N: the points whose index is I modulo N.", valueName: "I/N"))
    var shard: String?

    @OptionGroup var jobs: JobsOption<Self>

    @OptionGroup var output: OutOption<Self>

    @OptionGroup var seed: SeedOption

    @OptionGroup var settings: SetOptions<Self>

    @Option(name: .long, help: "Run at most K unfinished points, then stop (rerun to continue).")
    var maxPoints: Int?

    @OptionGroup var quietFlag: QuietFlag<Self>

    func validate() throws {
        try OutputPathCheck.check(output.out, folder: true)
        if let maxPoints, maxPoints < 1 { throw ValidationError("--max-points must be at least 1") }
        if let shard, SweepShard(shard) == nil { throw ValidationError("--shard must be I/N with 0 ≤ I < N, e.g. 0/4") }
    }

    func run() throws {
        AllocatorTuning.keepFreedMemoryForReuse()
        let allOverrides = seed.applied(to: settings.overrides)
        let jobs = jobs.threads
        let sweep = try ScenarioInput.loadSweep(file, overrides: allOverrides, jobs: jobs)
        guard !sweep.points.isEmpty else {
            throw CommandFailure.invalid("\(file): the scenario has no `sweep:` section; see docs/sweeps.md")
        }
        let shard = shard.flatMap(SweepShard.init) ?? .all
        let directory = output.out ?? "results/\(sweep.base.name)-sweep" + (shard == .all ? "" : "/shard-\(shard.index)-of-\(shard.count)")
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let lock = try FolderLock.take(directory)
        defer { lock.release() }
        AtomicFile.removeLeftovers(in: directory)
        let store: SweepStore
        do {
            store = try SweepStore(directory: directory, identity: .of(sweep, scenarioText: text, overrides: allOverrides), shard: shard)
        } catch let mismatch as SweepStore.Mismatch {
            throw CommandFailure.invalid("error: \(mismatch)")
        } catch {
            throw CommandFailure.failed("cannot open \(directory)/\(SweepStore.fileName): \(error)")
        }
        let pending: [Sweep.Point]
        do {
            pending = try SweepRunner.pending(sweep, shard: shard, store: store, limit: maxPoints)
            let display = ProgressLine(total: Double(pending.count), unit: "points", quiet: quietFlag.quiet)
            var progress: (@Sendable (Int) -> Void)?
            if let display { progress = { display.update(done: Double($0)) } }
            try SweepRunner.run(pending, jobs: jobs, store: store,
                                progress: progress)
        } catch let failure as SweepRunner.PointFailure {
            try? writeTable(store, directory: directory)
            throw CommandFailure.failed("\(file): \(failure)")
        } catch {
            throw CommandFailure.failed("\(directory)/\(SweepStore.fileName): \(error)")
        }
        try writeTable(store, directory: directory)
        if !quietFlag.quiet {
            let inShard = sweep.points.filter { shard.contains($0.index) }.count
            print("ran \(pending.count) of \(inShard) points" + (shard == .all ? "" : " (shard \(shard))")
                  + "; wrote \(directory)/\(SweepStore.fileName) and \(directory)/sweep.csv")
        }
        let unstable = (try? store.unstablePoints()) ?? []
        if !quietFlag.quiet, let missed = try? store.sloMissedPoints(), let recorded = try? store.finishedPoints().count,
           let withSLO = try? store.pointsWithSLO() {
            print(SweepVerdictLine.text(recorded: recorded, withSLO: withSLO, sloMissed: missed, unstable: unstable.count))
        }
        if !unstable.isEmpty {
            // On standard error, like other warnings, even with --quiet: these points' figures are lower bounds.
            let listed = unstable.prefix(10).map(String.init).joined(separator: ", ") + (unstable.count > 10 ? ", …" : "")
            FileHandle.standardError.write(Data(("warning: \(unstable.count) of the recorded points \(unstable.count == 1 ? "was" : "were") "
                + "unstable (stopped early; figures are lower bounds; `outcome` column of sweep.csv): points \(listed)\n").utf8))
        }
    }
}

/// Writes `DIR/sweep.csv` from the store.
func writeTable(_ store: SweepStore, directory: String) throws {
    do {
        try AtomicFile.write(try store.csv(), to: directory + "/sweep.csv")
    } catch {
        throw CommandFailure.failed("cannot write \(directory)/sweep.csv: \(error)")
    }
}

extension SweepCommand: SharedOptionHelp {
    static let out = "Output directory (default: results/<scenario name>-sweep/, or its shard-I-of-N/ with --shard)."
    static let quiet = "Print nothing on success, and no progress line."
    static let set = "Override a scenario value for every point: KEY.PATH=VALUE (repeatable)."
    static let jobs = "Points run at once (default: all cores). Results do not depend on it."
}
