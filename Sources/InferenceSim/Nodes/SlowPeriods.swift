// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// A node's exogenous slow periods for a run (`slowPeriods:`; docs/cost-models.md, "Slow
/// periods"): a two-state path, fast (factor 1) and slow (factor F), with exponential
/// sojourns of means T_fast and T_slow drawn from the stream `slow-periods/<node>`. The path
/// starts in its stationary distribution (slow with probability T_slow / (T_slow + T_fast);
/// by memorylessness the first sojourn is a full exponential draw) and is advanced lazily: no
/// events, only draws when a service starts after the current sojourn has ended. The draws
/// depend only on the simulated time of the starts asked about, so the same run asks for the
/// same draws (same seed, same bytes), and a node without the key costs its stages one nil
/// check.
final class SlowPeriods {
    private let factor: Double
    private let meanSlow: Double
    private let meanFast: Double
    private let stream: RandomStream
    /// Whether the path is in the slow state until `switchAt`.
    private var slow: Bool
    /// When the current sojourn ends, ns.
    private var switchAt: SimTime
    /// Not retained: the engine owns the run, and outlives every stage that asks.
    private unowned let engine: Engine

    init(_ spec: SlowPeriodsSpec, stream: RandomStream, engine: Engine) {
        factor = spec.factor
        meanSlow = spec.slowSeconds
        meanFast = spec.fastSeconds
        self.stream = stream
        self.engine = engine
        slow = stream.nextUniform() < spec.slowFraction
        switchAt = engine.now
        switchAt = SimTimeConversion.adding(engine.now, sojourn())
    }

    /// A sojourn in the current state, ns, at least 1 (so the path always moves on).
    private func sojourn() -> SimTime {
        max(1, SimTimeConversion.nanoseconds(fromSeconds: (slow ? meanSlow : meanFast) * stream.nextExponential()))
    }

    /// The factor on a service that starts now: F in a slow period, else 1. Starts are asked
    /// about in time order (the engine's clock never goes back), so the path only moves forward;
    /// a sojourn that ends exactly now has ended.
    @inline(__always)
    func factorNow() -> Double {
        let now = engine.now
        if now >= switchAt { advance(to: now) }
        return slow ? factor : 1
    }

    @inline(never)
    private func advance(to now: SimTime) {
        while now >= switchAt {
            slow.toggle()
            switchAt = SimTimeConversion.adding(switchAt, sojourn())
        }
    }
}
