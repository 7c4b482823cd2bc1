// SPDX-License-Identifier: GPL-3.0-or-later
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
