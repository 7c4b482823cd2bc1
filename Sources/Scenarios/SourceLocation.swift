// SPDX-License-Identifier: GPL-3.0-or-later

/// A position in an input: a scenario file, a CSV of samples, or a `--set` override.
///
/// Lines and columns start at 1; columns count Unicode scalars, as libyaml does.
/// Overrides use the file name `--set`, the line is the override's 1-based position among the
/// overrides given, and the column is the column inside the `KEY.PATH=VALUE` argument.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or `--set` for an override).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = max(1, line)
        self.column = max(1, column)
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }

    /// The file name used for diagnostics about `--set` overrides.
    public static let overrideFile = "--set"
}

extension SourceLocation: Comparable {
    /// Orders by file, then line, then column.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}
