// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Planning
import PlanningFiles
import Reporting

/// `hybridsim merge DIR...`: combine the shard stores of one sweep into one store and table,
/// identical to those of the unsharded run (docs/sweeps.md).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard outputs of one sweep into one sweep.sqlite and sweep.csv.",
        discussion: """
            Every point of the sweep must be in one of the shards (exit 1 naming the missing points otherwise).
            Example:
              hybridsim sweep scenarios/sweep-example.yaml --shard 0/2
              hybridsim sweep scenarios/sweep-example.yaml --shard 1/2
              hybridsim merge results/sweep-example-sweep/shard-*-of-2
            """)

    @Argument(help: "Shard output directories (each with a sweep.sqlite).")
    var directories: [String]

    @OptionGroup var output: OutOption<Self>

    @OptionGroup var quietFlag: QuietFlag<Self>

    func validate() throws {
        try OutputPathCheck.check(output.out, folder: true)
        if directories.isEmpty { throw ValidationError("name at least one shard directory") }
    }

    func run() throws {
        let sources: [SweepStore]
        do {
            sources = try directories.map { try SweepStore(existing: $0) }
        } catch {
            throw CommandFailure.invalid("error: \(error)")
        }
        let directory = output.out ?? URL(fileURLWithPath: directories[0]).deletingLastPathComponent().path
        let identity = sources[0].identity
        let lock = try FolderLock.take(directory)
        defer { lock.release() }
        AtomicFile.removeLeftovers(in: directory)
        do {
            let merged = try SweepStore(directory: directory, identity: identity, shard: .all)
            try merged.merge(sources)
            let finished = try merged.finishedPoints()  // once: asking per point was quadratic
            let missing = (0..<identity.pointCount).filter { !finished.contains($0) }
            try writeTable(merged, directory: directory)
            if !missing.isEmpty {
                let listed = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", ..." : "")
                throw CommandFailure.failed("\(missing.count) of \(identity.pointCount) points are in none of the shards: \(listed)")
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch let mismatch as SweepStore.Mismatch {
            throw CommandFailure.invalid("error: \(mismatch)")
        } catch {
            throw CommandFailure.failed("cannot merge into \(directory): \(error)")
        }
        if !quietFlag.quiet { print("merged \(sources.count) stores (\(identity.pointCount) points) into \(directory)") }
    }
}

extension MergeCommand: SharedOptionHelp {
    static let out = "Where to write the merged store and table (default: the parent of the first DIR)."
}
