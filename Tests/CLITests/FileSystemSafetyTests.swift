// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Reporting
import XCTest

/// The file system as an adversary or an accident meets it (issue 18 items 10–14 and 18, issue
/// 17 item 5): no writes outside the results folder, interrupted runs recognisable as such,
/// leftovers of killed writers cleaned up, one writer per sweep folder, no silent replacement
/// of another configuration's results, and messages that say what is wrong.
final class FileSystemSafetyTests: XCTestCase {
    static let short = ["--set", "run.requests=400", "--set", "run.warmupRequests=40", "--set", "run.replications=1", "--jobs", "1"]
    private var directory = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    // MARK: - Output paths (items 10, 11)

    func testABlankOutOrAFileAsFolderIsRefusedBeforeAnythingIsWritten() throws {
        for blank in ["", " "] {
            for command in [["run", "scenarios/mmc-example.yaml"], ["sweep", "scenarios/sweep-example.yaml"],
                            ["plan", "scenarios/plan-example.yaml"], ["report", "results/baselines"], ["merge", "results/x"]] {
                let result = try BinaryRunner.run(command + ["--out", blank])
                XCTAssertEqual(result.status, 2, "\(command) \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("--out is empty: name a folder or file to write"), result.stderr)
            }
        }
        let notebook = try BinaryRunner.run(["export", "notebook", "results/x", "--to", ""])
        XCTAssertEqual(notebook.status, 2)
        XCTAssertTrue(notebook.stderr.contains("--to is empty"), notebook.stderr)
        let file = directory + "/a-file"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        for command in [["run", "scenarios/mmc-example.yaml"], ["sweep", "scenarios/sweep-example.yaml"]] {
            let result = try BinaryRunner.run(command + ["--out", file])
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertTrue(result.stderr.contains("--out \(file) is a file, not a folder"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/summary.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/manifest.json"))
    }

    func testANameThatIsNoFolderNameIsRefusedAndWritesNothing() throws {
        let scenario = try String(contentsOfFile: BinaryRunner.packageRoot.path + "/scenarios/mmc-example.yaml", encoding: .utf8)
        for bad in ["../../escaped-\(UUID().uuidString)", "\"two\\nlines\""] {
            let file = directory + "/bad.yaml"
            try scenario.replacingOccurrences(of: "name: mmc-example", with: "name: \(bad)")
                .write(toFile: file, atomically: false, encoding: .utf8)
            let result = try BinaryRunner.run(["run", file, "--quiet"] + Self.short)
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertTrue(result.stderr.contains("error: name: the scenario name"), result.stderr)
            XCTAssertTrue(result.stderr.contains("hint: use letters, digits"), result.stderr)
        }
        XCTAssertFalse(files(BinaryRunner.packageRoot.deletingLastPathComponent().path).contains { $0.hasPrefix("escaped-") })
    }

    // MARK: - Interrupted runs (item 12)

    /// Starts `hybridsim ARGS` without waiting; its output is discarded.
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = BinaryRunner.productsDirectory.appendingPathComponent("hybridsim")
        process.arguments = arguments
        process.currentDirectoryURL = BinaryRunner.packageRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits (up to 60 s) until `condition` holds.
    private func wait(for what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            guard Date() < deadline else { return XCTFail("timed out waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// A run killed (SIGINT, then SIGKILL) while it simulates, in a folder that held a complete
    /// run of the same scenario: the folder says `running`, holds no summary of the old run
    /// beside the new resolved scenario, and `report`, `export notebook` and `check` refuse it.
    func testAnInterruptedRunLeavesAFolderMarkedIncompleteThatReadersRefuse() throws {
        let out = directory + "/run"
        let long = ["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out, "--jobs", "1",
                    "--set", "run.requests=100000000", "--set", "run.replications=1"]
        for signal in [SIGINT, SIGKILL] {
            let complete = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out, "--force"] + Self.short)
            XCTAssertEqual(complete.status, 0, complete.stderr)
            XCTAssertEqual(try json(out + "/manifest.json")["outcome"] as? String, "ok")

            let process = try start(long + ["--force"])
            wait(for: "the run to start") {
                FileManager.default.fileExists(atPath: out + "/scenario.resolved.json")
                    && (try? json(out + "/manifest.json")["outcome"] as? String) == "running"
            }
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)

            let manifest = try json(out + "/manifest.json")
            XCTAssertEqual(manifest["outcome"] as? String, "running", "signal \(signal)")
            XCTAssertEqual(files(out), ["manifest.json", "scenario.resolved.json"], "no summary of the earlier run is left")

            let report = try BinaryRunner.run(["report", out, "--out", directory + "/r.html"])
            XCTAssertEqual(report.status, 2, report.stderr)
            XCTAssertTrue(report.stderr.contains("incomplete results: its manifest.json says `outcome: running`"), report.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/r.html"))
            let notebook = try BinaryRunner.run(["export", "notebook", out, "--to", directory])
            XCTAssertEqual(notebook.status, 2, notebook.stderr)
            XCTAssertTrue(notebook.stderr.contains("incomplete results"), notebook.stderr)
        }
        // A summary left beside a `running` manifest (killed between the two last writes) is
        // refused as a baseline too.
        try "{\"latency_s\": {\"mean\": 1}}\n".write(toFile: out + "/summary.json", atomically: false, encoding: .utf8)
        let check = try BinaryRunner.run(["check", "scenarios/image-collaborative.yaml", "--baseline", out + "/summary.json"])
        XCTAssertEqual(check.status, 2, check.stderr)
        XCTAssertTrue(check.stderr.contains("the baseline's folder is not usable"), check.stderr)
        XCTAssertTrue(check.stderr.contains("incomplete results"), check.stderr)
    }

    // MARK: - Leftover temporary files (item 13)

    func testLeftoversOfKilledWritersAreRemovedByTheNextRunAndSweep() throws {
        let out = directory + "/run"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // Foundation's temporary file, ours of a dead process (pid 2^31 − 2 never runs), and
        // ours of a live one (this test), which must be left alone.
        let live = ".summary.json.tmp-\(getpid())"
        for name in [".dat.nosyncA1b2C3", ".summary.json.tmp-2147483646", live] {
            try "partial".write(toFile: out + "/" + name, atomically: false, encoding: .utf8)
        }
        let result = try BinaryRunner.run(["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out] + Self.short)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(files(out).filter { $0.hasPrefix(".") }, [live])
        XCTAssertEqual(try BinaryRunner.run(["report", out, "--out", directory + "/r.html"]).status, 0)

        // A sweep folder: the leftovers go on resume; the report reads the folder.
        let sweepOut = directory + "/sweep"
        let sweepArgs = ["sweep", "scenarios/sweep-example.yaml", "--quiet", "--out", sweepOut, "--max-points", "1",
                         "--set", "run.requests=300", "--set", "run.warmupRequests=30", "--set", "run.replications=1", "--jobs", "1"]
        XCTAssertEqual(try BinaryRunner.run(sweepArgs).status, 0)
        for name in [".dat.nosyncZ9y8X7", ".sweep.csv.tmp-2147483646"] {
            try "partial".write(toFile: sweepOut + "/" + name, atomically: false, encoding: .utf8)
        }
        let resumed = try BinaryRunner.run(sweepArgs)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(files(sweepOut).filter { $0.hasPrefix(".") && $0 != FolderLock.fileName }, [])
        let report = try BinaryRunner.run(["report", sweepOut, "--out", directory + "/s.html"])
        XCTAssertEqual(report.status, 0, report.stderr)
    }

    // MARK: - One sweep per folder (item 14)

    func testASecondSweepIntoALockedFolderIsRefusedAndAStaleLockIsTakenOver() throws {
        let out = directory + "/sweep"
        let args = ["sweep", "scenarios/sweep-example.yaml", "--quiet", "--out", out, "--max-points", "1",
                    "--set", "run.requests=300", "--set", "run.warmupRequests=30", "--set", "run.replications=1", "--jobs", "1"]
        // This process holds the lock, as a running sweep would.
        var lock: FolderLock? = try FolderLock(directory: out)
        let refused = try BinaryRunner.run(args)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(refused.stderr, "error: another sweep is writing to \(out) (pid \(getpid()))\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/sweep.sqlite"), "nothing was written")
        let merge = try BinaryRunner.run(["merge", out, "--out", out])
        XCTAssertEqual(merge.status, 2, "no store to merge yet: \(merge.stderr)")
        lock?.release()
        lock = nil
        // The lock file still names this process, but nobody holds the lock: taken over.
        XCTAssertTrue(try String(contentsOfFile: out + "/" + FolderLock.fileName, encoding: .utf8).hasPrefix("\(getpid())"))
        let taken = try BinaryRunner.run(args)
        XCTAssertEqual(taken.status, 0, taken.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/sweep.csv"))
    }

    /// A real second process while the first sweep runs (long enough to outlast the second
    /// one's start on a loaded machine; it is stopped afterwards).
    func testASecondSweepWhileTheFirstRunsIsRefusedWithItsPid() throws {
        let out = directory + "/sweep"
        let args = ["sweep", "scenarios/sweep-example.yaml", "--out", out, "--jobs", "1",
                    "--set", "run.requests=1000000", "--set", "run.warmupRequests=30", "--set", "run.replications=1"]
        let first = try start(args)
        defer {
            if first.isRunning { kill(first.processIdentifier, SIGKILL) }
            first.waitUntilExit()
        }
        wait(for: "the first sweep to take its lock") { FileManager.default.fileExists(atPath: out + "/sweep.sqlite") }
        let second = try BinaryRunner.run(args)
        XCTAssertTrue(first.isRunning, "the first sweep is still writing")
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertEqual(second.stderr, "error: another sweep is writing to \(out) (pid \(first.processIdentifier))\n")
    }

    // MARK: - Another configuration's results (issue 17 item 5)

    func testARunDoesNotSilentlyReplaceAnotherConfigurationsResults() throws {
        let out = directory + "/collab"
        let base = ["run", "scenarios/mmc-example.yaml", "--quiet", "--out", out] + Self.short
        XCTAssertEqual(try BinaryRunner.run(base).status, 0)
        let before = try json(out + "/summary.json")["latency_s"] as? NSDictionary
        // The same configuration again: replaced without asking (the same figures anyway).
        XCTAssertEqual(try BinaryRunner.run(base).status, 0)

        let other = try BinaryRunner.run(base + ["--set", "nodes.s.workers=5"])
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertEqual(other.stderr, "error: \(out)/ holds the results of another configuration: its scenario.resolved.json is "
                       + "not the scenario of this run (they differ first at `nodes.0.workers`). Add --force to replace them, "
                       + "or --out DIR to write this run elsewhere\n")
        XCTAssertEqual(try json(out + "/summary.json")["latency_s"] as? NSDictionary, before, "left untouched")
        XCTAssertEqual((try json(out + "/scenario.resolved.json")["nodes"] as? [[String: Any]])?.first?["workers"] as? Int, 4)
        let seed = try BinaryRunner.run(base + ["--seed", "8"])
        XCTAssertEqual(seed.status, 2, seed.stderr)
        XCTAssertTrue(seed.stderr.contains("differ first at `seed`"), seed.stderr)

        let forced = try BinaryRunner.run(base + ["--set", "nodes.s.workers=5", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try json(out + "/manifest.json")["overrides"] as? [String],
                       ["run.requests=400", "run.warmupRequests=40", "run.replications=1", "nodes.s.workers=5"])
    }

    /// The same command after the scenario file was edited is a rerun: it replaces the folder.
    func testTheSameCommandAfterAnEditReplacesTheFolder() throws {
        let file = directory + "/mmc.yaml", out = directory + "/mmc"
        let scenario = try String(contentsOfFile: BinaryRunner.packageRoot.path + "/scenarios/mmc-example.yaml", encoding: .utf8)
        try scenario.write(toFile: file, atomically: false, encoding: .utf8)
        let command = ["run", file, "--quiet", "--out", out] + Self.short
        XCTAssertEqual(try BinaryRunner.run(command).status, 0)
        try scenario.replacingOccurrences(of: "workers: 4", with: "workers: 5").write(toFile: file, atomically: false, encoding: .utf8)
        let rerun = try BinaryRunner.run(command)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual((try json(out + "/scenario.resolved.json")["nodes"] as? [[String: Any]])?.first?["workers"] as? Int, 5)
    }

    // MARK: - Merge (item 16)

    func testAStoreWithANegativeOrHugePointCountIsRefusedNotACrash() throws {
        let shard = directory + "/shard"
        let args = ["sweep", "scenarios/sweep-example.yaml", "--quiet", "--out", shard, "--max-points", "1",
                    "--set", "run.requests=300", "--set", "run.warmupRequests=30", "--set", "run.replications=1", "--jobs", "1"]
        XCTAssertEqual(try BinaryRunner.run(args).status, 0)
        for count in ["-3", "1000000000000"] {
            let update = try ReportCommandTests.runTool("/usr/bin/env", [
                "python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                    + "c.execute(\"UPDATE meta SET value=? WHERE key='points'\", (sys.argv[2],)); c.commit()",
                shard + "/sweep.sqlite", count,
            ])
            XCTAssertEqual(update.status, 0, "python3 with sqlite3 is needed: \(update.stderr)")
            let merge = try BinaryRunner.run(["merge", shard, "--out", directory + "/merged"])
            XCTAssertEqual(merge.status, 2, merge.stderr)
            XCTAssertEqual(merge.stderr, "error: \(shard)/sweep.sqlite is damaged: its meta table gives \(count) points "
                           + "(a sweep has 0 to 100000): rerun the sweep\n")
        }
    }

    // MARK: - Messages (item 18)

    func testPathsThatAreNoScenarioOrBaselineFileGetAMessageThatSaysSo() throws {
        let run = try BinaryRunner.run(["run", directory])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "\(directory):1:1: error: cannot read the scenario file: it is a folder, not a file; "
                       + "hint: give the path of a scenario YAML file\n")
        let devNull = try BinaryRunner.run(["validate", "/dev/null"])
        XCTAssertEqual(devNull.status, 2)
        XCTAssertTrue(devNull.stderr.contains("it is a character device, not a regular file"), devNull.stderr)
        XCTAssertFalse(devNull.stderr.contains("permission"), devNull.stderr)

        let folderBaseline = directory + "/baseline"
        try FileManager.default.createDirectory(atPath: folderBaseline, withIntermediateDirectories: true)
        try "{}".write(toFile: folderBaseline + "/summary.json", atomically: false, encoding: .utf8)
        let check = try BinaryRunner.run(["check", "scenarios/image-collaborative.yaml", "--baseline", folderBaseline])
        XCTAssertEqual(check.status, 2)
        XCTAssertEqual(check.stderr, "\(folderBaseline): error: the baseline is a folder, not a summary.json file; "
                       + "hint: did you mean `--baseline \(folderBaseline)/summary.json`?\n")
        XCTAssertFalse(check.stderr.contains("NSCocoaErrorDomain"), check.stderr)
    }
}
