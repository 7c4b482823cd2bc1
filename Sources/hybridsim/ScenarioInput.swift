// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Scenarios

/// Loads a scenario for a command, turning diagnostics into an exit-2 failure.
enum ScenarioInput {
    static func load(_ path: String, overrides: [String]) throws -> ScenarioConfig {
        do {
            return try ScenarioLoader.load(path: path, overrides: overrides)
        } catch {
            throw CommandFailure.invalid(error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
    }
}

extension ScenarioInput {
    /// Loads a scenario with its `sweep:` points expanded and checked (on up to `jobs` threads).
    static func loadSweep(_ path: String, overrides: [String], jobs: Int = 1) throws -> Sweep {
        do {
            return try ScenarioLoader.loadSweep(path: path, overrides: overrides, jobs: jobs)
        } catch {
            throw CommandFailure.invalid(error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
    }
}

extension ScenarioInput {
    /// Loads a scenario with its `sweep:` points and `plan:` candidates expanded and checked.
    static func loadChecked(_ path: String, overrides: [String]) throws {
        do {
            _ = try ScenarioLoader.loadChecked(path: path, overrides: overrides)
        } catch {
            throw CommandFailure.invalid(error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
    }
}

extension ScenarioInput {
    /// Prints the warnings about a scenario that loads (`ScenarioLoader.warnings`: links offered
    /// a load ≥ 1), one `FILE:LINE:COL: warning: …` line each, on standard error. Prints
    /// nothing when it does not load (its errors are reported elsewhere).
    static func printWarnings(_ path: String, overrides: [String]) {
        guard let warnings = try? ScenarioLoader.warnings(path: path, overrides: overrides) else { return }
        for warning in warnings { FileHandle.standardError.write(Data((warning.rendered + "\n").utf8)) }
    }
}
