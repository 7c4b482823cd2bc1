// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import ScenarioModel
import SimCore
import XCTest

/// DiurnalArrivals: counts per bin against the integral of the curve, `RatePoint.meanRate`
/// against the empirical rate, rejections.
final class ArrivalsDiurnalTests: XCTestCase {
    let z = ArrivalsTestSupport.z999

    /// Period 100 s: 0 from 10 s to 25 s, up to 30/s at 40 s, flat to 55 s, a step down to
    /// 8/s, 12/s at 80 s, then back to 0 at 110 s (= 10 s of the next period). Mean 11.05/s.
    let points = [RatePoint(time: 10, rate: 0), RatePoint(time: 25, rate: 0), RatePoint(time: 40, rate: 30),
                  RatePoint(time: 55, rate: 30), RatePoint(time: 55, rate: 8), RatePoint(time: 80, rate: 12)]
    let period = 100.0

    /// r(t), written independently of the generator: periodic linear interpolation.
    func rate(_ t: Double) -> Double {
        let x = t.truncatingRemainder(dividingBy: period)
        var knots = points.map { ($0.time, $0.rate) }
        knots.insert((points.last!.time - period, points.last!.rate), at: 0)
        knots.append((points.first!.time + period, points.first!.rate))
        for (a, b) in zip(knots, knots.dropFirst()) where a.0 <= x && x < b.0 {
            return a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
        }
        return 0
    }

    func testCountsPerBinFollowTheIntegratedRate() throws {
        // P = 500 periods, 20 bins of 5 s. Counts of an NHPP in disjoint intervals are
        // independent Poisson, so O_b ~ Poisson(E_b), E_b = P·∫_bin r (midpoint rule, 2000
        // steps per bin: exact on linear pieces, the only error is at the step at 55 s, which
        // is a bin edge). Bins with E_b = 0 (10–25 s) must have O_b = 0 exactly; over the other
        // k = 17 bins, X² = Σ (O_b − E_b)²/E_b ~ χ²_k (no parameter estimated, so k, not k − 1
        // degrees of freedom). Reject at 99.9 %: χ²_{17, 0.999} = 40.790 (tabulated; scipy
        // chi2.ppf(0.999, 17) = 40.7902).
        let periods = 500, bins = 20, width = period / Double(bins)
        var gen = try DiurnalArrivals(points: points, period: period,
                                      stream: RandomStream(seed: 8, replication: 0, name: "diurnal-bins"))
        var observed = [Int](repeating: 0, count: bins)
        let end = SimTimeConversion.nanoseconds(fromSeconds: Double(periods) * period)
        var t: SimTime = 0
        while true {
            let next = gen.next(after: t)
            XCTAssertGreaterThanOrEqual(next, t)
            t = next
            if t >= end { break }
            let phase = SimTimeConversion.seconds(t).truncatingRemainder(dividingBy: period)
            observed[min(bins - 1, Int(phase / width))] += 1
        }
        var chi2 = 0.0, degrees = 0
        for b in 0..<bins {
            let steps = 2000
            let h = width / Double(steps)
            let integral = (0..<steps).reduce(0.0) { $0 + rate(Double(b) * width + (Double($1) + 0.5) * h) * h }
            let expected = Double(periods) * integral
            if expected == 0 {
                XCTAssertEqual(observed[b], 0, "bin \(b) lies where the rate is 0")
            } else {
                chi2 += (Double(observed[b]) - expected) * (Double(observed[b]) - expected) / expected
                degrees += 1
            }
        }
        XCTAssertEqual(degrees, 17)
        XCTAssertLessThan(chi2, 40.790, "X² = \(chi2) with \(degrees) degrees of freedom")
    }

    func testPlannerMeanRateEqualsEmpiricalRate() throws {
        // Over P whole periods the count is Poisson(P·period·meanRate) (independent increments),
        // so the 99.9 % z-bound is |N − E| ≤ 3.29·√E with E = P·period·RatePoint.meanRate.
        // Two curves: the one above (first point after 0, a step, a zero stretch) over 500
        // periods, and the documented day curve scaled down (0.01/s at 0 h, 0.12/s at 12 h,
        // period 24 h) over 100 days.
        let cases: [([RatePoint], Double, Int)] = [
            (points, period, 500),
            ([RatePoint(time: 0, rate: 0.01), RatePoint(time: 43_200, rate: 0.12)], 86_400, 100),
        ]
        for (i, (curve, length, periods)) in cases.enumerated() {
            let mean = ArrivalProcess.diurnal(points: curve, period: length).meanRate
            var gen = try DiurnalArrivals(points: curve, period: length,
                                          stream: RandomStream(seed: 9, replication: i, name: "diurnal-mean"))
            let n = ArrivalsTestSupport.count(&gen, untilSeconds: Double(periods) * length)
            let expected = Double(periods) * length * mean
            XCTAssertEqual(Double(n), expected, accuracy: z * expected.squareRoot(), "curve \(i)")
        }
        XCTAssertEqual(RatePoint.meanRate(points, period: period), 11.05, accuracy: 1e-12)
    }

    func testRejectsCurvesThatCannotRun() {
        let s = RandomStream(seed: 1, replication: 0, name: "x")
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [RatePoint(time: 0, rate: 0), RatePoint(time: 5, rate: 0)], period: 10, stream: s),
            contains: "0 over the whole period")
        // A positive rate only at one instant (between two points at the same time) has no area.
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [RatePoint(time: 5, rate: 0), RatePoint(time: 5, rate: 9),
                                         RatePoint(time: 5, rate: 0)], period: 10, stream: s),
            contains: "0 over the whole period")
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [RatePoint(time: 5, rate: 1), RatePoint(time: 2, rate: 1)], period: 10, stream: s),
            contains: "not before the previous point")
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [RatePoint(time: 10, rate: 1)], period: 10, stream: s), contains: "[0, period)")
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [], period: 10, stream: s), contains: "at least one point")
        ArrivalsTestSupport.assertBuildError(
            try DiurnalArrivals(points: [RatePoint(time: 0, rate: 1)], period: 0, stream: s), contains: "period must be")
    }
}
