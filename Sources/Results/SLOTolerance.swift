// SPDX-License-Identifier: GPL-3.0-or-later

/// How a measured value is compared with a bound wherever an objective or a tolerance is
/// checked: the SLO report, the planner's verdicts and `hybridsim check` (docs/reporting.md,
/// "SLO verdicts").
///
/// A value within a relative `relative` (10⁻⁹) of the bound counts as *at* the bound, which
/// meets it. Figures such as an edge node's mean power are sums over up to millions of events,
/// so a node that runs at exactly its power cap can come out 30 W ± 10⁻¹⁴: floating-point
/// rounding, not a miss. 10⁻⁹ is far above that rounding and far below the four significant
/// digits any report prints, so no real miss is hidden.
public enum SLOTolerance {
    /// The relative tolerance, dimensionless.
    public static let relative = 1e-9

    /// Whether `value` is at most `bound` (an upper bound: latency, cost, power, a change).
    @inlinable
    public static func atMost(_ value: Double, _ bound: Double) -> Bool {
        value <= bound + relative * abs(bound)
    }

    /// Whether `value` is at least `floor` (a lower bound: accuracy).
    @inlinable
    public static func atLeast(_ value: Double, _ floor: Double) -> Bool {
        value >= floor - relative * abs(floor)
    }

    /// `margin` (bound − value, or value − floor), with 0 for a value within the tolerance of
    /// `bound`, so that a value at the bound is never shown as a tiny shortfall.
    @inlinable
    public static func margin(_ margin: Double, bound: Double) -> Double {
        abs(margin) <= relative * abs(bound) ? 0 : margin
    }
}
