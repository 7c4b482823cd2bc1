// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim plan` shows the same progress line as `run` and `sweep` (issue 17 item 7): on
/// standard error, counting candidates decided of those enumerated; only on a terminal unless
/// `HYBRIDSIM_PROGRESS=1` asks for it; never with `--quiet` (docs/cli.md).
final class PlanProgressTests: XCTestCase {
    private var directory = ""
    private var file = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
        file = try PlanCommandTests.writeScenario(into: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testProgressLineWhenAskedAndNeverWhenQuietOrPiped() throws {
        let asked = ["HYBRIDSIM_PROGRESS": "1"]
        let shown = try BinaryRunner.run(["plan", file, "--out", directory + "/a"], environment: asked)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        // The line ends complete: all 3 candidates decided, then a newline.
        XCTAssertTrue(shown.stderr.contains("3/3 candidates"), shown.stderr)
        XCTAssertTrue(shown.stderr.contains("\r[##############################] 3/3 candidates"), shown.stderr)

        let quiet = try BinaryRunner.run(["plan", file, "--out", directory + "/b", "--quiet"], environment: asked)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertFalse(quiet.stderr.contains("candidates"), quiet.stderr)

        // Standard error is a pipe here: no line unless asked.
        let piped = try BinaryRunner.run(["plan", file, "--out", directory + "/c"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("candidates"), piped.stderr)
    }
}
