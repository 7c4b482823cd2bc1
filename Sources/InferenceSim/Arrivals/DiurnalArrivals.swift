// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NumericCore
import ScenarioModel
import SimCore

/// Non-homogeneous Poisson arrivals with a periodic piecewise-linear rate
/// (`ArrivalProcess.diurnal`, docs/workloads.md).
///
/// The rate r(t) per second is linear between consecutive points, runs linearly from the last
/// point to the first point of the next period, and repeats every `period`. Counts in disjoint
/// intervals are independent Poisson with mean ∫ r.
///
/// **Sampling**: exact thinning (Lewis–Shedler). Candidates are Poisson at r_max, the largest
/// rate of the curve (a piecewise-linear curve peaks at a point); a candidate at t is kept with
/// probability r(t) / r_max. Cost: r_max / mean rate uniforms-pairs per arrival.
///
/// The period and the point times are rounded once to whole nanoseconds; r(t) is evaluated at
/// the candidate's nanosecond. Invariants: period > 0 and finite; points non-empty, times
/// non-decreasing within [0, period) (equal times make a step), rates ≥ 0 and finite, and the
/// curve's integral over a period > 0. The hot path allocates nothing.
struct DiurnalArrivals: ArrivalGenerator {
    /// Segment k covers phases [start[k], start[k + 1]) ns; rate there is
    /// `rate0[k] + slope[k]·(phase − start[k])`. `start` has one more entry (the period).
    private let start: ContiguousArray<SimTime>
    private let rate0: ContiguousArray<Double>
    /// Per nanosecond.
    private let slope: ContiguousArray<Double>
    private let periodNs: SimTime
    private let maxRate: Double
    private let meanCandidateGap: Double
    private let stream: RandomStream
    /// The segment of the last candidate (phases only grow within a period).
    private var segment = 0

    init(points: [RatePoint], period: Double, stream: RandomStream) throws {
        guard period > 0, period.isFinite else {
            throw SimulationBuildError("diurnal period must be positive and finite, got \(period) s")
        }
        guard let first = points.first, let last = points.last else {
            throw SimulationBuildError("a diurnal curve needs at least one point")
        }
        var previousTime = 0.0
        for (i, p) in points.enumerated() {
            guard p.time >= previousTime, p.time < period, p.time.isFinite else {
                throw SimulationBuildError(
                    "diurnal point \(i): time \(p.time) s must be in [0, period) and not before the previous point")
            }
            guard p.rate >= 0, p.rate.isFinite else {
                throw SimulationBuildError("diurnal point \(i): rate must be ≥ 0 and finite, got \(p.rate)")
            }
            previousTime = p.time
        }
        let mean = RatePoint.meanRate(points, period: period)
        guard mean > 0 else {
            throw SimulationBuildError("the diurnal rate curve is 0 over the whole period: no request would arrive")
        }
        periodNs = SimTimeConversion.nanoseconds(fromSeconds: period)
        // Knots over one period [0, period]: the wrap value at 0 and at the period is the
        // interpolation between the last point (at last − period) and the first.
        let wrapSpan = period - last.time + first.time
        let wrapRate = last.rate + (first.rate - last.rate) * (period - last.time) / wrapSpan
        var knots: [(SimTime, Double)] = []
        if first.time > 0 { knots.append((0, wrapRate)) }
        for p in points { knots.append((SimTimeConversion.nanoseconds(fromSeconds: p.time), p.rate)) }
        knots.append((periodNs, first.time > 0 ? wrapRate : first.rate))
        var start = ContiguousArray<SimTime>(), rate0 = ContiguousArray<Double>(), slope = ContiguousArray<Double>()
        for (a, b) in zip(knots, knots.dropFirst()) where b.0 > a.0 {
            start.append(a.0)
            rate0.append(a.1)
            slope.append((b.1 - a.1) / Double(b.0 - a.0))
        }
        start.append(periodNs)
        self.start = start
        self.rate0 = rate0
        self.slope = slope
        maxRate = points.reduce(0) { max($0, $1.rate) }
        meanCandidateGap = 1 / maxRate
        self.stream = stream
    }

    /// The rate at `phase` ns into the period, per second (moves the segment cursor).
    @inline(__always)
    private mutating func rate(atPhase phase: SimTime) -> Double {
        if phase < start[segment] { segment = 0 }
        while phase >= start[segment + 1] { segment += 1 }
        return rate0[segment] + slope[segment] * Double(phase - start[segment])
    }

    mutating func next(after previous: SimTime) -> SimTime {
        var t = previous
        while true {
            t = t &+ SimTimeConversion.nanoseconds(fromSeconds: -meanCandidateGap * log(stream.nextUniform()))
            let r = rate(atPhase: t % periodNs)
            if stream.nextUniform() * maxRate <= r { return t }
        }
    }
}
