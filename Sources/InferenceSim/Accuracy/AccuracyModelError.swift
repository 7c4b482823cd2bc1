// SPDX-License-Identifier: GPL-3.0-or-later

/// Why an accuracy model or a fusion rule cannot be built: every problem found, at once.
public struct AccuracyModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line per problem, naming the model or parameter and what to change.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "accuracy model: " + problems.joined(separator: "; ")
    }
}
