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
