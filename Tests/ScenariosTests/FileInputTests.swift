// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// What the loader says about paths that are not a scenario file and about names that are not
/// a folder name (issue 18, items 11, 15 and 18): each case gets a located message that says
/// what is wrong, never the operating system's words or the contents of a foreign file.
final class FileInputTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "hybridsim-fileinput-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The rendered diagnostics of loading the file at `path` (fails when it loads).
    private func loadProblems(_ path: String, overrides: [String] = [], line: UInt = #line) -> [String] {
        do {
            _ = try ScenarioLoader.load(path: path, overrides: overrides)
            XCTFail("expected \(path) to be rejected", line: line)
            return []
        } catch {
            return error.diagnostics.map(\.rendered)
        }
    }

    func testDevicesFIFOsAndFoldersAreNamedForWhatTheyAre() throws {
        let fifo = folder + "/pipe.yaml"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(loadProblems("/dev/null"), [
            "/dev/null:1:1: error: cannot read the scenario file: it is a character device, not a regular file; "
                + "hint: give the path of a scenario YAML file",
        ])
        XCTAssertEqual(loadProblems(fifo), [
            "\(fifo):1:1: error: cannot read the scenario file: it is a FIFO (named pipe), not a regular file; "
                + "hint: give the path of a scenario YAML file",
        ])
        XCTAssertEqual(loadProblems(folder), [
            "\(folder):1:1: error: cannot read the scenario file: it is a folder, not a file; hint: give the path of a scenario YAML file",
        ])
        // /dev/stdin is whatever the test runner's standard input is: a terminal, a pipe or /dev/null.
        if !isRegular("/dev/stdin") {
            XCTAssertEqual(loadProblems("/dev/stdin").first?.contains("not a regular file"), true)
        }
    }

    private func isRegular(_ path: String) -> Bool {
        if case .regularFile = FileKind.of(path) { return true }
        return false
    }

    func testAByteOrderMarkIsAccepted() throws {
        let path = folder + "/bom.yaml"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(mmcExample().utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ScenarioLoader.load(path: path).name, "mmc-example")
        // Its columns count from the first character after the mark.
        let bad = folder + "/bom-bad.yaml"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(mmcExample(replacing: "name: mmc-example", with: "nme: mmc-example").utf8))
            .write(to: URL(fileURLWithPath: bad))
        XCTAssertTrue(loadProblems(bad).contains { $0.hasPrefix("\(bad):") && $0.contains("unknown key `nme`") },
                      "\(loadProblems(bad))")
    }

    func testAnOversizedFileIsRefusedBeforeParsingAndSaysWhy() throws {
        let path = folder + "/huge.yaml"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let line = Data("k: v\n".utf8)
        let block = Data((0..<(1 << 16)).flatMap { _ in line })  // 320 KiB
        for _ in 0..<Int(ScenarioLoader.maximumFileBytes / Int64(block.count) + 1) { handle.write(block) }
        try handle.close()
        XCTAssertEqual(loadProblems(path), [
            "\(path):1:1: error: the scenario file is 16.2 MB; a scenario file may be at most 16.0 MB; "
                + "hint: samples and prediction logs belong in CSV files that the scenario names with `file:`",
        ])
    }

    /// The node budget's two messages, with a budget of 1,000 nodes (the real one is 1,000,000).
    private func budgetProblems(_ text: String) -> [String] {
        var log = DiagnosticLog()
        let source = SourceText(file: "test.yaml", text: text)
        guard case .failed = YAMLInput.parse(text, locate: source.location(line:column:),
                                             offsetLocation: { source.location(characterOffset: $0, in: text) },
                                             log: &log, nodeBudget: 1_000) else { return [] }
        return log.diagnostics.map(\.rendered)
    }

    func testManyPlainEntriesAreNotCalledAnAliasExpansion() {
        // 1,105 nodes written out, no alias: too many entries, not an expansion.
        XCTAssertEqual(budgetProblems("list:\n" + (0..<1_100).map { "- k\($0)" }.joined(separator: "\n") + "\n- {a: b}"), [
            "test.yaml:1:1: error: the document has more than 1000 entries; a scenario has at most a few thousand; "
                + "hint: is this the right file? Samples and prediction logs belong in CSV files named with `file:`",
        ])
        // The billion-laughs shape (a short text that expands) still says aliases.
        XCTAssertEqual(budgetProblems("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                      + "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"), [
            "test.yaml:1:1: error: the document expands to more than 1000 nodes; "
                + "hint: aliases (`*name`) repeat whole subtrees; a scenario never needs this many",
        ])
    }

    func testTheScenarioNameMustBeAFolderName() {
        let cases: [(String, String)] = [
            ("../../x", "the scenario name `../../x` contains `/`, which a folder name must not"),
            ("\"a\\nb\"", "the scenario name `a\\nb` contains a line break, which a folder name must not"),
            ("'x y'", "the scenario name `x y` contains a space, which a folder name must not"),
            ("..", "the scenario name `..` starts with `.`"),
            (".hidden", "the scenario name `.hidden` starts with `.`"),
            ("-x", "the scenario name `-x` starts with `-`"),
            ("\"caf\\u00e9\"", "the scenario name `café` contains `é`, which a folder name must not"),
            (String(repeating: "n", count: 101), "the scenario name is 101 characters long; at most 100 are allowed"),
        ]
        let hint = "; hint: use letters, digits, `.`, `_` and `-`, starting with a letter or a digit "
            + "(the name is the default results folder, results/<name>/)"
        for (written, message) in cases {
            let problems = renderedProblems(mmcExample(replacing: "name: mmc-example", with: "name: \(written)"))
            XCTAssertEqual(problems, ["test.yaml:1:7: error: name: \(message)\(hint)"], written)
        }
        // The same rule through --set, located at the override.
        XCTAssertEqual(renderedProblems(mmcExample(), overrides: ["name=a/b"]).first?.contains("contains `/`"), true)
        for good in ["a", "mmc-example", "v1.2_final", "X9", String(repeating: "n", count: 100)] {
            XCTAssertEqual(renderedProblems(mmcExample(replacing: "name: mmc-example", with: "name: \(good)")), [], good)
        }
    }

    func testLongValuesAreCutAndControlCharactersEscapedInMessages() {
        XCTAssertEqual(Diagnostic.quoted("abc"), "`abc`")
        XCTAssertEqual(Diagnostic.quoted("a\tb\nc\u{7}"), "`a\\tb\\nc\\u{7}`")
        let long = String(repeating: "x", count: 500)
        XCTAssertEqual(Diagnostic.quoted(long), "`" + String(repeating: "x", count: 40) + "…` (500 characters)")
        let problems = renderedProblems(mmcExample(replacing: "seed: 7", with: "seed: 7\n\(long): 1"))
        XCTAssertEqual(problems.count, 1)
        XCTAssertLessThan(problems[0].count, 400, problems[0])
        XCTAssertTrue(problems[0].contains("(500 characters)"), problems[0])
    }

    func testAnIncludedFileThatIsNoScenarioIsNamedButNotQuoted() throws {
        let secret = "root:$6$secretHash$abcdef:19000:0:99999:7:::"
        let cases: [(String, String)] = [
            ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
             "its top level is a single value (text), not a mapping of sections"),
            (secret + "\ndaemon:*:19000:0:99999:7:::\n", "none of its top-level keys (the first at line 1) is a scenario section"),
            ("password: hunter2\ntoken: abc\n", "none of its top-level keys (the first at line 1) is a scenario section"),
            ("- hunter2\n- abc\n", "its top level is a list, not a mapping of sections"),
        ]
        for (i, (contents, problem)) in cases.enumerated() {
            let included = folder + "/foreign-\(i)"
            try contents.write(toFile: included, atomically: false, encoding: .utf8)
            let scenario = folder + "/main-\(i).yaml"
            try mmcExample(replacing: "seed: 7", with: "seed: 7\ninclude: [\(included)]").write(toFile: scenario, atomically: false, encoding: .utf8)
            let problems = loadProblems(scenario)
            XCTAssertEqual(problems, [
                "\(scenario):3:11: error: include.0: cannot include `\(included)`: `\(included)` is not a scenario file: \(problem); "
                    + "hint: an included file is YAML with sections such as `hardware:`, `models:`, `nodes:`, `links:`, `protocols:`",
            ])
            for word in ["hunter2", "secretHash", "daemon", "abc"] {
                XCTAssertFalse(problems.joined().contains(word), "\(word) leaked: \(problems)")
            }
        }
    }
}
