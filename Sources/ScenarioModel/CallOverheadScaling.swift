// SPDX-License-Identifier: GPL-3.0-or-later

/// Load-dependent protocol overhead (docs/cost-models.md, "Load-dependent call overhead"): each
/// drawn `callOverhead` of a call is multiplied by f(x), piecewise linear through `points` (x
/// strictly increasing, ≥ 0; factor in (0, 1000]) and constant beyond the first and last
/// point. x is `utilization`, the **called** node's offered load ρ from the scenario exactly as
/// `serviceTimeScaling: {by: utilization}` takes it (`OfferedLoad`, unscaled service times plus
/// the mean `serverWork` of its calls): one factor per call for the whole run, folded in when
/// the run is built. Only `callOverhead` is scaled (not `serverWork`, codec or wire).
/// Deterministic: never a random draw.
public struct CallOverheadScaling: Sendable, Equatable {
    /// What the factor is a function of.
    public enum Variable: String, Sendable, CaseIterable {
        /// The called node's offered load ρ (≥ 0), fixed for the run.
        case utilization
    }

    /// One point of the curve: at offered load `x` of the called node, the overhead is `factor`
    /// times the drawn one.
    public typealias Point = ServiceTimeScaling.Point

    public var variable: Variable
    /// At least one point, x strictly increasing.
    public var points: [Point]

    public init(variable: Variable = .utilization, points: [Point]) {
        self.variable = variable
        self.points = points
    }

    /// f(x): the factor of the segment holding x, linearly interpolated; the first point's
    /// factor below it, the last point's above it.
    public func factor(at x: Double) -> Double {
        PiecewiseLinear.value(at: x, through: points, x: \.x, y: \.factor) ?? 1
    }
}

extension CallOverheadScaling: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order (those of `ServiceTimeScaling`).
    enum CodingKeys: String, CodingKey { case variable, points }
}

extension CallOverheadScaling.Variable: Encodable {}
