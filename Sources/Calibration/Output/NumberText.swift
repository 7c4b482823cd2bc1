// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Numbers as calibration output writes them: 4 significant digits for people, full precision
/// (Swift's shortest round-trip form) for the scenario fragment.
enum NumberText {
    /// `x` to 4 significant digits (`%.4g`).
    static func number(_ x: Double) -> String { String(format: "%.4g", x) }

    /// A p-value for people: 4 significant digits, or `< 0.0001`.
    static func pValue(_ p: Double) -> String { p < 1e-4 ? "< 0.0001" : "= " + number(p) }

    /// A duration for people: `4.213ms`, `812.5us`, `1.2s`.
    static func duration(_ seconds: Double) -> String {
        let a = abs(seconds)
        if a >= 1 || a == 0 { return number(seconds) + "s" }
        if a >= 1e-3 { return number(seconds * 1e3) + "ms" }
        if a >= 1e-6 { return number(seconds * 1e6) + "us" }
        return number(seconds * 1e9) + "ns"
    }

    /// A duration as a scenario quantity, exact to the double: the largest of s, ms, us, ns in
    /// which the value is at least 1, so that no exponent is written.
    static func exactDuration(_ seconds: Double) -> String {
        let a = abs(seconds)
        if a >= 1 || a == 0 { return "\(seconds)s" }
        if a >= 1e-3 { return "\(seconds * 1e3)ms" }
        if a >= 1e-6 { return "\(seconds * 1e6)us" }
        return "\(seconds * 1e9)ns"
    }
}
