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
    /// Loads a scenario once and prints its warnings (nodes and links offered a load ≥ 1),
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
        for warning in nodeLoadWarnings(located) + hostLoadWarnings(located) + linkLoadWarnings(located) {
            FileHandle.standardError.write(Data((warning.rendered + "\n").utf8))
        }
    }

    /// A warning for each node the scenario overloads (`OfferedLoad.Estimate.isOverloaded`: ρ ≥ 1
    /// on what the node really has), at the node's entry under `nodes:`. A run of such a
    /// scenario is stopped early as unstable (docs/engine.md, "Stability detection").
    private static func nodeLoadWarnings(_ located: LocatedScenario) -> [Diagnostic] {
        OfferedLoad.estimates(located.config).filter(\.isOverloaded).map { estimate in
            Diagnostic(location: located.location(ofNode: estimate.node), keyPath: "nodes.\(estimate.node)",
                       message: OfferedLoad.warning(estimate), hint: nodeLoadHint, severity: .warning)
        }
    }

    /// A warning for each shared host the scenario offers a load ρ ≥ 1 (`OfferedLoad.hostEstimates`),
    /// at the host's entry under `hosts:`.
    private static func hostLoadWarnings(_ located: LocatedScenario) -> [Diagnostic] {
        let overloaded = OfferedLoad.hostEstimates(located.config).filter { $0.load >= 1 }
        // `hostWarnings(for:)` words the same estimates, in the same order.
        return zip(overloaded, OfferedLoad.hostWarnings(for: located.config)).map { estimate, message in
            Diagnostic(location: located.location(ofHost: estimate.node), keyPath: "hosts.\(estimate.node)",
                       message: message, hint: "add cores, move nodes to another host, or send its nodes less work",
                       severity: .warning)
        }
    }

    private static let nodeLoadHint = "add workers or instances, send it less work, or give it faster hardware; "
        + "a run stops early as unstable when its queue keeps growing"

    /// A warning for each bandwidth-limited link direction offered a load of 1 or more
    /// (`LinkLoad`), at its link.
    private static func linkLoadWarnings(_ located: LocatedScenario) -> [Diagnostic] {
        LinkLoad.overloaded(located.config).map { direction in
            Diagnostic(location: located.location(ofLink: direction.link), keyPath: "links.\(direction.link)",
                       message: LinkLoad.problem(direction), hint: LinkLoad.hint, severity: .warning)
        }
    }
}
