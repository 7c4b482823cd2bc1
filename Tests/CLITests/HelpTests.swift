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

    /// Each command's examples fit 80 columns as printed: every line of an `Example(s):` block
    /// is an indented command or an indented continuation (after a line ending in `\`), never a
    /// command wrapped in mid-argument onto an unindented line.
    func testHelpExamplesDoNotWrapAtEightyColumns() throws {
        let commands = [["run"], ["validate"], ["sweep"], ["merge"], ["plan"], ["check"], ["report"], ["schema"],
                        ["export"], ["export", "notebook"]]
        for command in commands {
            let help = try BinaryRunner.run(command + ["--help"])
            XCTAssertEqual(help.status, 0, command.joined(separator: " "))
            let problems = Self.wrappedExampleLines(in: help.stdout)
            XCTAssertEqual(problems, [], "hybridsim \(command.joined(separator: " ")) --help")
        }
    }

    /// The checker itself finds a wrapped example.
    func testTheWrapCheckFindsAWrappedExample() {
        let wrapped = "Examples:\n  hybridsim run a.yaml --set\nrun.requests=5\n  hybridsim run b.yaml \\\n      --seed 3\n\nUSAGE: x\n"
        XCTAssertEqual(Self.wrappedExampleLines(in: wrapped), ["run.requests=5"])
    }

    /// The lines of the help's example blocks that are not indented (a wrapped command) or are
    /// wider than 80 columns.
    static func wrappedExampleLines(in help: String) -> [String] {
        var inExamples = false
        var problems: [String] = []
        for line in help.components(separatedBy: "\n") {
            if line.hasPrefix("Example") { inExamples = true; continue }
            if line.isEmpty { inExamples = false; continue }
            guard inExamples else { continue }
            if !line.hasPrefix("  ") || line.count > 80 { problems.append(line) }
        }
        return problems
    }
}
