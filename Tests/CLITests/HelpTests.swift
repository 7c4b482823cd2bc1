// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// Every command added for results (check, report, export notebook) shows an example in its help.
final class HelpTests: XCTestCase {
    func testResultCommandsShowExamples() throws {
        for (arguments, example) in [(["check", "--help"], "hybridsim check scenarios/"),
                                     (["report", "--help"], "hybridsim report results/"),
                                     (["export", "notebook", "--help"], "hybridsim export notebook results/"),
                                     (["export", "--help"], "hybridsim export notebook"),
                                     (["--help"], "hybridsim report")] {
            let help = try BinaryRunner.run(arguments)
            XCTAssertEqual(help.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(help.stdout.contains(example), "\(arguments): \(help.stdout)")
        }
        let version = try BinaryRunner.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
