// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import SimCore

/// A number with a unit (`250us`, `3.2/s`, `8GiB`, `100Mbps`, `15W`, `$0.90/h`), converted to
/// the base unit of its kind: seconds, per second, bytes, bits per second, watts, dollars,
/// dollars per hour. The one place where the scenario format's units are read.
public struct Quantity: Sendable, Equatable {
    /// The value in the base unit of `kind`.
    public var value: Double
    public var kind: QuantityKind

    public init(value: Double, kind: QuantityKind) {
        self.value = value
        self.kind = kind
    }

    /// Reads `text` as a quantity of kind `expected`.
    ///
    /// A bare number is an error naming the expected unit; a unit of another kind is an error
    /// naming what was expected; values must be finite; rates must be greater than 0. Other
    /// signs are left to the caller (a distribution's parameter checks, for instance).
    public static func parse(_ text: String, as expected: QuantityKind) throws(QuantityError) -> Quantity {
        let trimmed = Substring(text).drop(while: { $0 == " " })
        let body = trimmed.reversed().drop(while: { $0 == " " }).reversed()
        let written = String(body)
        guard !written.isEmpty else {
            throw QuantityError(message: "has no value: write \(expected.noun) such as \(Suggestion.list(expected.typicalExamples))")
        }
        let dollar = written.hasPrefix("$")
        let afterDollar = dollar ? Substring(written.dropFirst()) : Substring(written)
        guard let (number, literal, rawUnit) = NumberLiteral.leadingNumber(afterDollar) else {
            throw QuantityError(message: "`\(written)` is not \(expected.noun): write a number and a unit, such as \(Suggestion.list(expected.typicalExamples))")
        }
        let unitText = String(rawUnit.drop(while: { $0 == " " }))
        guard number.isFinite else {
            throw QuantityError(message: "`\(written)` is too large: \(expected.noun) must be a finite number")
        }
        if unitText.isEmpty && !dollar {
            throw QuantityError(
                message: "`\(written)` needs a unit: write \(expected.noun) such as \(Suggestion.list(expected.examples(for: String(literal))).replacingFirstComma(with: " or "))",
                hint: "units of \(expected.nounWithoutArticle): \(Unit.symbols(of: expected).joined(separator: ", "))")
        }
        guard let unit = Unit.named(unitText, afterDollar: dollar) else {
            let candidates = (dollar ? Unit.afterDollar : Unit.all).map(\.symbol).filter { !$0.isEmpty }
            let close = Suggestion.closest(to: unitText, among: Unit.allSymbols(of: expected).filter { !$0.hasPrefix("$") } + candidates)
            throw QuantityError(
                message: "`\(written)` has an unknown unit `\(unitText)`" + (close.map { " (did you mean `\($0)`?)" } ?? "")
                    + "; expected \(expected.noun) such as \(Suggestion.list(expected.typicalExamples))",
                hint: "units of \(expected.nounWithoutArticle): \(Unit.symbols(of: expected).joined(separator: ", "))")
        }
        guard unit.kind == expected else {
            throw QuantityError(
                message: "`\(written)` is \(unit.kind.noun), but \(expected.noun) is expected: write e.g. \(Suggestion.list(expected.examples(for: String(literal))).replacingFirstComma(with: " or "))",
                hint: "units of \(expected.nounWithoutArticle): \(Unit.symbols(of: expected).joined(separator: ", "))")
        }
        let value = number * unit.factor
        guard value.isFinite else {
            throw QuantityError(message: "`\(written)` is too large: it overflows when converted to \(expected.baseUnit)")
        }
        if expected == .time, value > SimTimeConversion.clockLimitSeconds {
            throw QuantityError(message: "`\(written)` is beyond the simulation clock: a time is at most 1e9 s (about 31.7 years, 277777 h)",
                                hint: "the engine's clock ends at 1e9 s of simulated time (docs/engine.md, \"The clock limit\")")
        }
        if expected == .rate, value > SimTimeConversion.nanosecondsPerSecond {
            throw QuantityError(message: "`\(written)` is too fast: a rate is at most 1e9/s, one event per nanosecond (the engine's time resolution)",
                                hint: "a mean gap below 1 ns rounds to 0 ns, so events would pile up at one instant")
        }
        if expected == .rate, !(value > 0) {
            throw QuantityError(message: "`\(written)` must be greater than 0: a rate counts events per unit of time",
                                hint: "write a positive rate such as \(Suggestion.list(expected.typicalExamples))")
        }
        return Quantity(value: value == 0 ? 0 : value, kind: unit.kind)
    }
}

extension QuantityKind {
    var nounWithoutArticle: String {
        let words = noun.split(separator: " ", maxSplits: 1)
        return words.count == 2 ? String(words[1]) : noun
    }
}

extension String {
    /// `` `a`, `b` `` → `` `a` or `b` `` (only the first separator, for two examples).
    func replacingFirstComma(with replacement: String) -> String {
        guard let range = range(of: ", ") else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
