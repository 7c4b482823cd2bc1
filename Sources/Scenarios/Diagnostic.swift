// SPDX-License-Identifier: GPL-3.0-or-later

/// One problem found in a scenario, located at the key or value at fault.
///
/// Rendered on a single line, so that every problem is one line of output:
///
///     FILE:LINE:COL: error: KEY.PATH: MESSAGE; hint: HINT
///
/// A warning (`severity: .warning`) renders the same way with `warning:` instead of `error:`:
/// it is about a scenario that loads and runs, but whose results need care.
///
/// The `KEY.PATH: ` part is left out when the problem is not about one key (a YAML syntax
/// error, an unreadable file); the `; hint: HINT` part is left out when there is no hint.
/// The key path is written as `--set` takes it (`workload.0.arrivals.rate`).
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// Dotted path of the key at fault (`workload.0.arrivals.rate`), empty for the whole input.
    public var keyPath: String
    /// What is wrong, in words a user can act on (does not repeat the key path).
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?
    /// An error stops the scenario from loading; a warning does not.
    public var severity: Severity

    /// How serious a diagnostic is.
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public init(location: SourceLocation, keyPath: String, message: String, hint: String? = nil,
                severity: Severity = .error) {
        self.severity = severity
        self.location = location
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    /// `FILE:LINE:COL: error: KEY.PATH: MESSAGE; hint: HINT` on one line.
    public var rendered: String {
        var text = "\(location): \(severity.rawValue): "
        if !keyPath.isEmpty {
            // A key path is short unless a key is a long mistake: cut it like a quoted value.
            text += (keyPath.count > Self.keyPathLength ? String(keyPath.prefix(Self.keyPathLength)) + "…" : keyPath) + ": "
        }
        text += message
        if let hint, !hint.isEmpty { text += "; hint: \(hint)" }
        return text
    }

    public var description: String { rendered }

    /// Most characters of a key path shown in `rendered`.
    public static let keyPathLength = 120
}
