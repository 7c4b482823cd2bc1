// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import ScenarioModel
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
    /// Loads a scenario once and prints its warnings (links offered a load ≥ 1, `LinkLoad`),
    /// one `FILE:LINE:COL: warning: …` line each, on standard error.
    static func loadWarning(_ path: String, overrides: [String]) throws -> ScenarioConfig {
        let located: LocatedScenario
        do {
            located = try ScenarioLoader.loadLocated(path: path, overrides: overrides)
        } catch {
            throw CommandFailure.invalid(error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
        printWarnings(located)
        return located.config
    }

    /// Prints the warnings about a scenario that loads, like `loadWarning(_:overrides:)`.
    /// Prints nothing when it does not load (its errors are reported elsewhere).
    static func printWarnings(_ path: String, overrides: [String]) {
        guard let located = try? ScenarioLoader.loadLocated(path: path, overrides: overrides) else { return }
        printWarnings(located)
    }

    private static func printWarnings(_ located: LocatedScenario) {
        for direction in LinkLoad.overloaded(located.config) {
            let warning = Diagnostic(location: located.location(ofLink: direction.link), keyPath: "links.\(direction.link)",
                                     message: LinkLoad.problem(direction), hint: LinkLoad.hint, severity: .warning)
            FileHandle.standardError.write(Data((warning.rendered + "\n").utf8))
        }
    }
}
