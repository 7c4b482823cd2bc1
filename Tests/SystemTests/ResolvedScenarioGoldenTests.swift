// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Reporting
import Scenarios
import XCTest

/// `scenario.resolved.json` of every shipped scenario (`scenarios/**/*.yaml` except the
/// catalog, whose files are included by others) must equal `Golden/resolved/PATH.json`
/// exactly (PATH: the file's path under `scenarios/` with `/` as `-`), so that a renamed
/// property or a changed encoder cannot change the file format unnoticed.
///
/// To re-record after an intended format change:
/// `HYBRIDSIM_RECORD_RESOLVED=1 swift test --filter ResolvedScenarioGoldenTests`. Recording
/// writes the files and FAILS, so that a recording run never passes by accident; review the
/// diff, then run again without the variable.
final class ResolvedScenarioGoldenTests: XCTestCase {
    private var recording: Bool { ProcessInfo.processInfo.environment["HYBRIDSIM_RECORD_RESOLVED"] == "1" }
    private static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/resolved")

    func testEveryShippedScenarioResolvesToItsGoldenFile() throws {
        let files = try Self.shippedScenarios()
        XCTAssertGreaterThanOrEqual(files.count, 15, "the shipped scenarios were not found (run from the package root)")
        var recorded: [String] = []
        for file in files {
            let name = file.dropFirst("scenarios/".count).replacingOccurrences(of: "/", with: "-")
                .replacingOccurrences(of: ".yaml", with: ".json")
            let actual = try ResultsFolder.resolvedScenarioText(try ScenarioLoader.load(path: file))
            let goldenURL = Self.golden.appendingPathComponent(name)
            if recording {
                try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
                recorded.append(name)
                continue
            }
            guard let expected = try? String(contentsOf: goldenURL, encoding: .utf8) else {
                XCTFail("\(file): no golden file \(name); record it with HYBRIDSIM_RECORD_RESOLVED=1")
                continue
            }
            XCTAssertTrue(actual == expected, "\(file): the resolved scenario differs from Golden/resolved/\(name)")
        }
        if recording {
            XCTFail("recorded \(recorded.count) golden files: review them and run again without HYBRIDSIM_RECORD_RESOLVED")
        }
    }

    /// The scenario files under `scenarios/`, sorted, without the catalog.
    static func shippedScenarios() throws -> [String] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: "scenarios") else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("catalog/") }
            .map { "scenarios/" + $0 }
            .sorted()
    }
}
