// SPDX-License-Identifier: GPL-3.0-or-later

/// Why a text is not a valid quantity of the expected kind.
public struct QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the expected unit (`` `3.2` needs a unit: write a rate such as `3.2/s` or `3.2/min` ``).
    public var message: String
    /// The units that would be accepted, or a close match.
    public var hint: String?

    public init(message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.map { "\(message); hint: \($0)" } ?? message }
}
