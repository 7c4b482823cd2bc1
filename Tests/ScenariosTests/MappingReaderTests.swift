// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import Scenarios

final class MappingReaderTests: XCTestCase {
    private func scalar(_ text: String, line: Int, column: Int = 1) -> ScenarioNode {
        ScenarioNode(content: .scalar(text, plain: true), location: SourceLocation(file: "t", line: line, column: column))
    }

    func testRepeatedKeysInABuiltTreeAreReported() {
        // Yams rejects repeated keys in files; trees edited in code are checked by the reader too.
        let tree = ScenarioNode(content: .mapping([
            .init(key: scalar("kind", line: 1), value: scalar("server", line: 1, column: 7)),
            .init(key: scalar("kind", line: 2), value: scalar("edge", line: 2, column: 7)),
        ]), location: SourceLocation(file: "t", line: 1, column: 1))
        var log = DiagnosticLog()
        let reader = MappingReader(tree, path: KeyPath.root.appending("nodes").appending("s"), keys: ["kind", "workers"], log: &log)
        XCTAssertEqual(reader?["kind"]?.scalarText, "server")
        XCTAssertEqual(log.diagnostics.map(\.rendered),
                       ["t:2:1: error: nodes.s.kind: key `kind` appears more than once in the same mapping; hint: first written at t:1:1; keep one of them"])
    }

    func testTypeErrorsNameWhatWasExpected() {
        let rendered = renderedProblems(mmcExample(replacing: "seed: 7", with: "seed: seven")
            .replacingOccurrences(of: "workers: 4", with: "workers: 2.5")
            .replacingOccurrences(of: "models:\n  m:", with: "models:\n  m: [1, 2]\n  x:"), file: "m.yaml")
        XCTAssertTrue(rendered.contains("m.yaml:2:7: error: seed: expected an integer, got `seven`; hint: write whole numbers in decimal, optionally with `_` between digits (`200_000`)"), "\(rendered)")
        XCTAssertTrue(rendered.contains { $0.hasPrefix("m.yaml:5:6: error: models.m: expected a mapping, got a list") }, "\(rendered)")
        XCTAssertTrue(rendered.contains { $0.contains("nodes.s.workers: expected an integer, got `2.5`") }, "\(rendered)")
    }

    func testIntegerBoundsAndSeparators() throws {
        let big = try ScenarioLoader.load(yaml: mmcExample(replacing: "seed: 7", with: "seed: 18_446_744_073_709_551_615"), file: "t")
        XCTAssertEqual(big.seed, UInt64.max)
        XCTAssertTrue(renderedProblems(mmcExample(replacing: "seed: 7", with: "seed: 18446744073709551616"))
            .contains { $0.contains("seed: `18446744073709551616` is out of range: must be from 0 to 18446744073709551615") })
        XCTAssertTrue(renderedProblems(mmcExample(replacing: "requests: 200000", with: "requests: 99999999999999999999"))
            .contains { $0.contains("run.requests: `99999999999999999999` is out of range") })
        XCTAssertTrue(renderedProblems(mmcExample(replacing: "workers: 4", with: "workers: -9223372036854775808"))
            .contains { $0.contains("nodes.s.workers: `-9223372036854775808` is out of range: must be from 1 to 100000") })
    }
}
