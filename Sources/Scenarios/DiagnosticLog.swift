// SPDX-License-Identifier: GPL-3.0-or-later

/// Collects diagnostics while reading, so that every problem of a file is reported in one pass.
struct DiagnosticLog: Sendable {
    private(set) var diagnostics: [Diagnostic] = []

    var isEmpty: Bool { diagnostics.isEmpty }
    var count: Int { diagnostics.count }

    mutating func error(_ message: String, at location: SourceLocation, path: KeyPath, hint: String? = nil) {
        diagnostics.append(Diagnostic(location: location, keyPath: path.description, message: message, hint: hint))
    }

    mutating func error(_ message: String, at node: ScenarioNode, path: KeyPath, hint: String? = nil) {
        error(message, at: node.location, path: path, hint: hint)
    }

    mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }
}
