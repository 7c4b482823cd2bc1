// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// Why measurements cannot be calibrated: one located problem per line, rendered like the
/// scenario loader's (`FILE:LINE:COL: error: MESSAGE; hint: HINT`). The command exits 2.
public struct CalibrationFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// One problem at `location`.
    public static func at(_ location: SourceLocation, _ message: String, hint: String? = nil) -> CalibrationFailure {
        CalibrationFailure([Diagnostic(location: location, keyPath: "", message: message, hint: hint)])
    }

    public var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}
