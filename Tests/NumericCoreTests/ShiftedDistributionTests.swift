// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import NumericCore

/// Shifted distributions: X = c + Y, Y of an exponential, lognormal, gamma or weibull family.
final class ShiftedDistributionTests: XCTestCase {
    /// Whole mean 4 ms, cv 0.3, floor 2.5 ms: the part has mean 1.5 ms and the whole's sd,
    /// 1.2 ms, so cv 0.8. The closed-form moments and quantiles are the base's moved by c.
    func testWholeMeanAndCVBecomeThePartsParameters() throws {
        let x = try XCTUnwrap(Distribution.shifted("lognormal", shift: 0.0025, mean: 0.004, cv: 0.3))
        guard case .shifted(let c, .lognormal(let m, let cv)) = x else { return XCTFail("\(x)") }
        XCTAssertEqual(c, 0.0025)
        XCTAssertEqual(m, 0.0015, accuracy: 1e-15)
        XCTAssertEqual(cv, 0.8, accuracy: 1e-12)
        XCTAssertEqual(x.mean, 0.004, accuracy: 1e-15)
        XCTAssertEqual(x.variance.squareRoot(), 0.0012, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(x.quantile(0)), 0.0025, accuracy: 1e-15)
        XCTAssertEqual(x.name, "lognormal")
        XCTAssertNil(Distribution.shifted("gamma", shift: 0.004, mean: 0.004, cv: 0.3), "mean must exceed the shift")
        XCTAssertEqual(Distribution.shifted(shift: 0.001, base: .uniform(min: 0, max: 1)).validationProblems().map(\.parameter), ["shift"])
        XCTAssertEqual(Distribution.shifted(shift: -1, base: .exponential(mean: 1)).validationProblems().map(\.parameter), ["shift"])
    }

    /// 200,000 draws (seed 1) of each shifted family with whole mean 4 ms and cv 0.3 (weibull:
    /// shape 1.5, scale 1.5 ms above a 2.5 ms floor). Every draw is at least the floor (exact:
    /// c + Y with Y ≥ 0). The sample mean has standard error sd/√n = 1.2 ms/447 = 2.7 µs;
    /// tolerance 15 µs (5.6 SE). The sample sd's standard error is below 1 % of sd for these
    /// light tails at this n; tolerance 3 %.
    func testDrawsKeepTheFloorAndTheWholesMoments() throws {
        let n = 200_000
        for family in ["exponential", "lognormal", "gamma", "weibull"] {
            let x: Distribution = family == "weibull"
                ? .shifted(shift: 0.0025, base: .weibull(shape: 1.5, scale: 0.0015))
                : try XCTUnwrap(Distribution.shifted(family, shift: 0.0025, mean: 0.004, cv: 0.3))
            let sampler = try Sampler(x)
            let stream = RandomStream(seed: 1, replication: 0, name: "shifted/\(family)")
            var w = Welford()
            var lowest = Double.infinity
            for _ in 0..<n {
                let v = sampler.sample(stream)
                w.add(v)
                lowest = min(lowest, v)
            }
            XCTAssertGreaterThanOrEqual(lowest, 0.0025, family)
            XCTAssertEqual(w.mean, x.mean, accuracy: 15e-6, family)
            XCTAssertEqual(w.variance.squareRoot(), x.variance.squareRoot(), accuracy: 0.03 * x.variance.squareRoot(), family)
        }
    }

    /// A shifted draw uses exactly the base's random numbers: the same stream gives c + the
    /// base's draw, bit for bit, and the unshifted sampler is untouched by the feature.
    func testAShiftedDrawIsTheBasesDrawPlusTheShift() throws {
        let base = Distribution.gamma(mean: 0.0015, cv: 0.8)
        let plain = try Sampler(base), shifted = try Sampler(.shifted(shift: 0.0025, base: base))
        let a = RandomStream(seed: 9, replication: 2, name: "same"), b = RandomStream(seed: 9, replication: 2, name: "same")
        for _ in 0..<1_000 {
            XCTAssertEqual(shifted.sample(b), 0.0025 + plain.sample(a))
        }
    }
}
