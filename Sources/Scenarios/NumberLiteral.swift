// SPDX-License-Identifier: GPL-3.0-or-later

/// The numbers of the scenario format, read strictly: decimal only, `_` allowed between
/// digits (`200_000`), no `inf`, `nan` or hexadecimal.
enum NumberLiteral {
    /// What reading an integer gave.
    enum IntegerResult: Equatable {
        case value(negative: Bool, magnitude: UInt64)
        case tooLarge(negative: Bool)
        case notAnInteger
    }

    /// Reads `[+-]digits` with single `_` between digits.
    static func integer(_ text: String) -> IntegerResult {
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        guard let digits = stripUnderscores(scalars), !digits.isEmpty else { return .notAnInteger }
        var magnitude: UInt64 = 0
        for d in digits {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d.value - 48))
            if o1 || o2 { return .tooLarge(negative: negative) }
            magnitude = s
        }
        return .value(negative: negative, magnitude: magnitude)
    }

    /// Splits `text` into the longest leading decimal number (`-1_000.5e3`) and the rest.
    /// Returns nil when the text does not start with a number.
    static func leadingNumber(_ text: Substring) -> (number: Double, literal: Substring, rest: Substring)? {
        let s = Array(text.unicodeScalars)
        var i = 0
        func digitRun() -> Bool {
            let start = i
            while i < s.count, isDigit(s[i]) || (s[i] == "_" && i > start && i + 1 < s.count && isDigit(s[i + 1])) {
                i += 1
            }
            return i > start
        }
        if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
        let integerDigits = digitRun()
        var fractionDigits = false
        if i < s.count, s[i] == ".", i + 1 < s.count, isDigit(s[i + 1]) {
            i += 1
            fractionDigits = digitRun()
        }
        guard integerDigits || fractionDigits else { return nil }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            var j = i + 1
            if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
            if j < s.count, isDigit(s[j]) {
                i = j
                _ = digitRun()
            }
        }
        var literal = String.UnicodeScalarView()
        literal.append(contentsOf: s[0..<i])
        let cleaned = String(String(literal).filter { $0 != "_" })
        guard let value = Double(cleaned) else { return nil }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: s[i...])
        return (value, Substring(String(literal)), Substring(String(rest)))
    }

    /// A whole-text decimal number (`0.25`, `1e-3`), or nil.
    static func number(_ text: String) -> Double? {
        guard let (value, _, rest) = leadingNumber(Substring(text)), rest.isEmpty else { return nil }
        return value
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }

    private static func stripUnderscores(_ scalars: Substring.UnicodeScalarView.SubSequence) -> [Unicode.Scalar]? {
        var digits: [Unicode.Scalar] = []
        var previousUnderscore = true  // forbids a leading `_`
        for s in scalars {
            if s == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
            } else if isDigit(s) {
                digits.append(s)
                previousUnderscore = false
            } else {
                return nil
            }
        }
        return previousUnderscore && !digits.isEmpty ? nil : digits
    }
}
