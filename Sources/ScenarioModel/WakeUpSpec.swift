// SPDX-License-Identifier: GPL-3.0-or-later

/// The cost of waking an idle worker (docs/cost-models.md, "Wake-up after idle"): the first
/// job a worker takes after it has been idle for t seconds spends `extra(afterIdle: t)`
/// seconds on that worker before its service (a setup time: the worker is busy, later jobs
/// wait). extra is piecewise linear through `points` (idle strictly increasing, extra ≥ 0),
/// the first point's extra below it and the last point's beyond it. A job that waited in the
/// queue found its worker busy and pays nothing. Deterministic: never a random draw.
public struct WakeUpSpec: Sendable, Equatable {
    /// One point of the curve: after `idle` seconds idle, the next job spends `extra` seconds waking the worker.
    public struct Point: Sendable, Equatable {
        public var idle: Double
        public var extra: Double
        public init(idle: Double, extra: Double) { (self.idle, self.extra) = (idle, extra) }
    }

    /// At least one point, idle strictly increasing, every value ≥ 0 (seconds).
    public var points: [Point]

    public init(points: [Point]) { self.points = points }

    /// The extra seconds of the first job after `idle` seconds idle: the segment holding
    /// `idle`, linearly interpolated; flat before the first and beyond the last point.
    public func extra(afterIdle idle: Double) -> Double {
        PiecewiseLinear.value(at: idle, through: points, x: \.idle, y: \.extra) ?? 0
    }

    /// The largest extra of the curve, seconds (a bound for load screening and docs).
    public var maxExtra: Double { points.map(\.extra).max() ?? 0 }
}

extension WakeUpSpec: Encodable {
    /// Its keys in `scenario.resolved.json`.
    enum CodingKeys: String, CodingKey { case points }
}

extension WakeUpSpec.Point: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order (seconds).
    enum CodingKeys: String, CodingKey { case idle, extra }
}
