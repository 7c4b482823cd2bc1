// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// Output printed in the docs is the output the command prints: docs/planner.md's example of
/// `hybridsim plan scenarios/plan-example.yaml` is run as written (from a folder whose
/// `scenarios` is this repository's, so its default results folder is a temporary one) and its
/// standard output compared with the documented block exactly.
///
/// When the output changes on purpose, record it: `HYBRIDSIM_RECORD_DOCS=1 swift test
/// --skip-build --disable-swift-testing --filter DocumentedOutputTests` rewrites the block in
/// docs/planner.md and fails (so that a recording run never passes); run again without the
/// variable to check.
final class DocumentedOutputTests: XCTestCase {
    static let planner = BinaryRunner.packageRoot.appendingPathComponent("docs/planner.md")

    func testThePlannerExampleOutputIsWhatThePlannerPrints() throws {
        let command = "hybridsim plan scenarios/plan-example.yaml"
        let document = try String(contentsOf: Self.planner, encoding: .utf8)
        let block = try XCTUnwrap(DocumentBlock(in: document, command: command),
                                  "docs/planner.md has no ``` block starting with `$ \(command)`")
        let printed = try Self.run(command)
        if ProcessInfo.processInfo.environment["HYBRIDSIM_RECORD_DOCS"] == "1" {
            try block.replacingOutput(with: printed, in: document).write(to: Self.planner, atomically: true, encoding: .utf8)
            XCTFail("recorded the output of `\(command)` in docs/planner.md; run again without HYBRIDSIM_RECORD_DOCS")
            return
        }
        XCTAssertEqual(block.output, printed, "docs/planner.md's example differs from what `\(command)` prints; "
                       + "if the change is intended, record it (HYBRIDSIM_RECORD_DOCS=1, see this test's comment)")
    }

    /// The block finder and its replacement: the output is the text between the `$ command`
    /// line and the closing fence, and recording swaps exactly that text.
    func testTheBlockFinderReadsAndReplacesOnlyTheOutput() throws {
        let document = "Intro.\n\n```\n$ hybridsim plan x.yaml\nline 1\nline 2\n```\n\nAfter.\n"
        let block = try XCTUnwrap(DocumentBlock(in: document, command: "hybridsim plan x.yaml"))
        XCTAssertEqual(block.output, "line 1\nline 2\n")
        XCTAssertEqual(block.replacingOutput(with: "new\n", in: document),
                       "Intro.\n\n```\n$ hybridsim plan x.yaml\nnew\n```\n\nAfter.\n")
        XCTAssertNil(DocumentBlock(in: document, command: "hybridsim plan y.yaml"))
    }

    /// Runs a documented `hybridsim ...` command line (words separated by spaces) in a fresh
    /// folder holding a link to this repository's `scenarios`, and returns its standard output;
    /// fails the test unless it exits 0 with nothing on standard error.
    static func run(_ command: String) throws -> String {
        let folder = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/scenarios",
                                                   withDestinationPath: BinaryRunner.packageRoot.appendingPathComponent("scenarios").path)
        let words = command.split(separator: " ").map(String.init)
        let process = Process()
        process.executableURL = BinaryRunner.productsDirectory.appendingPathComponent(words[0])
        process.arguments = Array(words.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "`\(command)` failed: \(String(decoding: stderr, as: UTF8.self))")
        XCTAssertEqual(String(decoding: stderr, as: UTF8.self), "", "`\(command)` wrote to standard error")
        return String(decoding: stdout, as: UTF8.self)
    }
}

/// A fenced block of a Markdown document that shows a command (`$ COMMAND` on its first line)
/// and then its output.
struct DocumentBlock {
    /// The output lines (each ending in a newline), as the document has them.
    let output: String
    private let range: Range<String.Index>

    init?(in document: String, command: String) {
        let opening = "```\n$ \(command)\n"
        guard let start = document.range(of: opening),
              let end = document.range(of: "```", range: start.upperBound..<document.endIndex) else { return nil }
        range = start.upperBound..<end.lowerBound
        output = String(document[range])
    }

    /// The document with this block's output replaced by `output`.
    func replacingOutput(with output: String, in document: String) -> String {
        document.replacingCharacters(in: range, with: output)
    }
}
