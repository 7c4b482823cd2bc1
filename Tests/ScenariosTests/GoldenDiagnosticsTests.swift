// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// Each `Fixtures/invalid/NAME.yaml` is loaded (with the overrides of `NAME.overrides`, one per
/// line, if that file exists) and its rendered diagnostics must equal `NAME.diagnostics`
/// exactly. Paths are written relative to the Fixtures folder.
///
/// To re-record after an intended change: `HYBRIDSIM_RECORD_GOLDEN=1 swift test --filter Golden`.
/// Recording writes the files and FAILS, so that a recording run never passes by accident;
/// review the diff, then run again without the variable.
final class GoldenDiagnosticsTests: XCTestCase {
    private var recording: Bool { ProcessInfo.processInfo.environment["HYBRIDSIM_RECORD_GOLDEN"] == "1" }

    func testInvalidScenariosGiveTheirGoldenDiagnostics() throws {
        let files = try Fixtures.yamlFiles(in: "invalid")
        XCTAssertGreaterThanOrEqual(files.count, 10, "the golden fixtures are missing")
        var recorded: [String] = []
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let overridesURL = file.deletingPathExtension().appendingPathExtension("overrides")
            let overrides = ((try? String(contentsOf: overridesURL, encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
            let actual = render(file: file, overrides: overrides)
            let goldenURL = file.deletingPathExtension().appendingPathExtension("diagnostics")
            if recording {
                try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
                recorded.append(name)
                continue
            }
            guard let expected = try? String(contentsOf: goldenURL, encoding: .utf8) else {
                XCTFail("\(name): no golden file \(goldenURL.lastPathComponent); record it with HYBRIDSIM_RECORD_GOLDEN=1")
                continue
            }
            XCTAssertEqual(actual, expected, "\(name): diagnostics differ from \(goldenURL.lastPathComponent)")
        }
        if recording {
            XCTFail("recorded \(recorded.count) golden files (\(recorded.joined(separator: ", "))): review them and run again without HYBRIDSIM_RECORD_GOLDEN")
        }
    }

    private func render(file: URL, overrides: [String]) -> String {
        do {
            let config = try ScenarioLoader.load(path: file.path, overrides: overrides)
            return "LOADED WITHOUT ERRORS: \(config.name)\n"
        } catch {
            let prefix = Fixtures.directory.path + "/"
            return error.diagnostics.map { $0.rendered.replacingOccurrences(of: prefix, with: "") }.joined(separator: "\n") + "\n"
        }
    }
}
