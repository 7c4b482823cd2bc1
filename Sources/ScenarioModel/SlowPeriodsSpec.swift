// SPDX-License-Identifier: GPL-3.0-or-later

/// A node's exogenous slow periods (`slowPeriods: {factor, slow, fast}`; docs/cost-models.md,
/// "Slow periods"): the node alternates between a fast state (speed 1) and a slow state in
/// which every service that starts takes `factor` times its drawn time. The sojourns in each
/// state are exponential with means `slowSeconds` and `fastSeconds`; the process starts in its
/// stationary distribution. Invariants (checked by the loader): factor ≥ 1, both means > 0.
public struct SlowPeriodsSpec: Sendable, Equatable {
    /// The slowdown of a service that starts in the slow state (≥ 1; 1: no slowdown).
    public var factor: Double
    /// Mean sojourn in the slow state, seconds (> 0).
    public var slowSeconds: Double
    /// Mean sojourn in the fast state, seconds (> 0).
    public var fastSeconds: Double

    public init(factor: Double, slowSeconds: Double, fastSeconds: Double) {
        (self.factor, self.slowSeconds, self.fastSeconds) = (factor, slowSeconds, fastSeconds)
    }

    /// The long-run fraction of time in the slow state, T_slow / (T_slow + T_fast). By PASTA it
    /// is also the fraction of Poisson-timed service starts that are slowed; it is exactly the
    /// fraction of starts slowed whenever starts do not depend on the state.
    public var slowFraction: Double { slowSeconds / (slowSeconds + fastSeconds) }

    /// E[factor] = (T_slow · F + T_fast) / (T_slow + T_fast): the mean slowdown of a service
    /// started at a time independent of the state. Offered loads count it as a speed of
    /// 1 / E[factor].
    public var meanFactor: Double { (slowSeconds * factor + fastSeconds) / (slowSeconds + fastSeconds) }
}

extension SlowPeriodsSpec: Encodable {
    enum CodingKeys: String, CodingKey { case factor, slow, fast }

    /// `{factor, slow, fast}` with the times in seconds, as in `scenario.resolved.json`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(factor, forKey: .factor)
        try container.encode(slowSeconds, forKey: .slow)
        try container.encode(fastSeconds, forKey: .fast)
    }
}
