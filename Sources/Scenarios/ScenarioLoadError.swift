// SPDX-License-Identifier: GPL-3.0-or-later

/// Every problem found while loading a scenario: never empty, sorted by file, line and column
/// (problems at the same place keep the order in which they were found).
public struct ScenarioLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, sorted; at least one.
    public var diagnostics: [Diagnostic]

    /// Sorts `diagnostics` and drops exact repeats. An empty list becomes one internal error,
    /// so that a load failure can never be silent.
    public init(diagnostics: [Diagnostic]) {
        var seen = Set<String>()
        let sorted = diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
            .filter { seen.insert($0.rendered).inserted }
        self.diagnostics = sorted.isEmpty
            ? [Diagnostic(location: SourceLocation(file: "<unknown>", line: 1, column: 1), keyPath: "",
                          message: "the scenario could not be loaded (no reason was recorded: this is a bug)")]
            : sorted
    }

    /// Every diagnostic rendered, one per line.
    public var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}
