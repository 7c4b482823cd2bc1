// SPDX-License-Identifier: GPL-3.0-or-later

/// Load-dependent service time (docs/cost-models.md, "Load-dependent service time"): the
/// drawn service time of a request is multiplied by f(x), piecewise linear through `points`
/// (x strictly increasing, factor > 0) and constant beyond the first and last point. x is
/// `utilization`: the node's offered load ρ from the scenario (`OfferedLoad`, with the
/// unscaled service times), one factor for the whole run; or `inFlight`: the number of requests
/// in the node (in service, the starting one included, plus waiting) when the service starts.
/// Deterministic either way: never a random draw.
public struct ServiceTimeScaling: Sendable, Equatable {
    /// What the factor is a function of.
    public enum Variable: String, Sendable, CaseIterable {
        /// The node's offered load ρ (≥ 0), fixed for the run.
        case utilization
        /// The number of requests in the node at service start (≥ 1).
        case inFlight

        /// The smallest x that means something.
        public var lowestX: Double { self == .inFlight ? 1 : 0 }
    }

    /// One point of the curve: at `x` requests in the node, the service time is `factor` times the drawn one.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var factor: Double
        public init(x: Double, factor: Double) { (self.x, self.factor) = (x, factor) }
    }

    public var variable: Variable
    /// At least one point, x strictly increasing.
    public var points: [Point]

    public init(variable: Variable, points: [Point]) {
        self.variable = variable
        self.points = points
    }

    /// f(x): the factor of the segment holding x, linearly interpolated; the first point's
    /// factor below it, the last point's above it.
    public func factor(at x: Double) -> Double {
        PiecewiseLinear.value(at: x, through: points, x: \.x, y: \.factor) ?? 1
    }
}

extension ServiceTimeScaling: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey { case variable, points }
}

extension ServiceTimeScaling.Variable: Encodable {}

extension ServiceTimeScaling.Point: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey { case x, factor }
}
