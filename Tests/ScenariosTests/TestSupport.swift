// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// Fixtures are found from this file's path, so that no Package.swift resources are needed.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }
    static func text(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    /// The `.yaml` files of a fixtures folder, sorted by name.
    static func yamlFiles(in folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: url(folder), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// The rendered diagnostics of loading `yaml`, or [] if it loads.
func renderedProblems(_ yaml: String, file: String = "test.yaml", overrides: [String] = []) -> [String] {
    do {
        _ = try ScenarioLoader.load(yaml: yaml, file: file, overrides: overrides)
        return []
    } catch {
        return error.diagnostics.map(\.rendered)
    }
}

/// The diagnostics of loading `yaml`; fails the test if it loads.
func problems(_ yaml: String, file: String = "test.yaml", overrides: [String] = [],
              line: UInt = #line) -> [Diagnostic] {
    do {
        _ = try ScenarioLoader.load(yaml: yaml, file: file, overrides: overrides)
        XCTFail("expected the scenario to be rejected", line: line)
        return []
    } catch {
        return error.diagnostics
    }
}

/// The CONTRACT's M/M/4 example, with `replace` applied (a line-for-line textual edit).
func mmcExample(replacing target: String? = nil, with replacement: String = "") -> String {
    let text = (try? Fixtures.text("valid/mmc-example.yaml")) ?? ""
    guard let target else { return text }
    return text.replacingOccurrences(of: target, with: replacement)
}
