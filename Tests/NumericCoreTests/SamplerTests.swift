// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
import NumericCore
import XCTest

final class SamplerTests: XCTestCase {
    func testInvalidDistributionThrowsItsFirstProblem() {
        let bad = Distribution.lognormal(mean: -1, cv: .nan)
        XCTAssertThrowsError(try Sampler(bad)) { error in
            XCTAssertEqual(error as? DistributionProblem, bad.validationProblems().first)
            XCTAssertEqual((error as? DistributionProblem)?.parameter, "mean")
        }
        assertDistributionProblem(try Sampler(.empirical(samples: [])), "file")
        assertDistributionProblem(try Sampler(.uniform(min: 3, max: 1)), "max")
        assertDistributionProblem(try Sampler(.pareto(shape: 0, scale: 1)), "shape")
    }

    func testSamplerIsDeterministicPerStream() throws {
        let s = try Sampler(.gamma(mean: 2, cv: 0.5))
        let a = RandomStream(seed: 1, replication: 0, name: "svc")
        let b = RandomStream(seed: 1, replication: 0, name: "svc")
        for _ in 0..<1000 { XCTAssertEqual(s.sample(a), s.sample(b)) }
    }

    func testDeterministicAndEmpiricalReturnOnlyTheirValues() throws {
        let rng = RandomStream(seed: 3, replication: 0, name: "values")
        let constant = try Sampler(.deterministic(value: 0.25))
        for _ in 0..<100 { XCTAssertEqual(constant.sample(rng), 0.25) }
        // Each of 4 samples is picked with p = 1/4: counts in 40,000 draws have sd
        // sqrt(40000·1/4·3/4) = 86.6; tolerance 5 sd = 433 (fixed seed).
        let empirical = try Sampler(.empirical(samples: [1, 2, 3, 4]))
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 {
            let x = empirical.sample(rng)
            counts[Int(x) - 1] += 1
        }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 433) }
    }

    /// For every distribution, 10^6 draws from a fixed-seed stream: the sample mean must be
    /// within 5 standard errors of E[X] (se = √(Var/n)), and the sample variance within 5
    /// standard errors of Var[X], with se(s²) ≈ √((m₄ − s⁴)/n) estimated from the sample's own
    /// fourth central moment m₄. 5 se is a two-sided level of about 1 − 6e-7 for a normal
    /// estimator; the seeds are fixed, so the outcome is deterministic.
    func testSampleMomentsMatchAnalyticMoments() throws {
        let cases: [Distribution] = [
            .deterministic(value: 2.5),
            .exponential(mean: 2),
            .lognormal(mean: 0.03, cv: 0.5),
            .lognormal(mean: 1, cv: 1),
            .gamma(mean: 1.5, cv: 0.7),
            .gamma(mean: 1, cv: 2),  // shape 0.25 < 1: GSL's other branch
            .normal(mean: 1, sd: 0.8),
            .normal(mean: 0, sd: 1),
            .uniform(min: 1, max: 3),
            .weibull(shape: 1.5, scale: 2),
            .weibull(shape: 0.7, scale: 1),
            .pareto(shape: 5, scale: 1),
            .empirical(samples: [1, 2, 2, 7.5]),
        ]
        let n = 1_000_000
        for (i, d) in cases.enumerated() {
            let sampler = try Sampler(d)
            let rng = RandomStream(seed: 20_261_125, replication: i, name: "moments")
            var xs = [Double](repeating: 0, count: n)
            for j in 0..<n { xs[j] = sampler.sample(rng) }
            XCTAssertTrue(xs.allSatisfy { $0 >= 0 && $0.isFinite }, "\(d): negative or non-finite draw")
            let mean = xs.reduce(0, +) / Double(n)
            let s2 = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let m4 = xs.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n)
            let seMean = (d.variance / Double(n)).squareRoot()
            let seVar = (max(m4 - s2 * s2, 0) / Double(n)).squareRoot()
            XCTAssertEqual(mean, d.mean, accuracy: 5 * seMean + 1e-12 * d.mean, "\(d) mean")
            XCTAssertEqual(s2, d.variance, accuracy: 5 * seVar + 1e-12, "\(d) variance")
        }
    }

    /// Kolmogorov–Smirnov goodness of fit against GSL's CDFs, n = 200,000 draws per case:
    /// D = supₓ |Fₙ(x) − F(x)|, rejected at level 0.001 when √n·D > 1.9495 (the 0.999 quantile
    /// of the Kolmogorov distribution, SciPy `kstwobign.isf(0.001)` = 1.9494746).
    func testKolmogorovSmirnovAgainstGSLCDFs() throws {
        let cases: [(Distribution, (Double) -> Double)] = [
            (.exponential(mean: 2), { gsl_cdf_exponential_P($0, 2) }),
            // lognormal(mean 30 ms, cv 0.5): μ = ln(0.03) − σ²/2, σ² = ln 1.25.
            (.lognormal(mean: 0.03, cv: 0.5), {
                let s2 = log(1.25)
                return gsl_cdf_lognormal_P($0, log(0.03) - s2 / 2, s2.squareRoot())
            }),
            // gamma(mean 1.5, cv 0.7): shape 1/0.49, scale 1.5·0.49.
            (.gamma(mean: 1.5, cv: 0.7), { gsl_cdf_gamma_P($0, 1 / 0.49, 1.5 * 0.49) }),
            (.gamma(mean: 1, cv: 2), { gsl_cdf_gamma_P($0, 0.25, 4) }),
            // GSL's Weibull CDF takes (scale, shape).
            (.weibull(shape: 1.5, scale: 2), { gsl_cdf_weibull_P($0, 2, 1.5) }),
            (.pareto(shape: 2.5, scale: 0.1), { gsl_cdf_pareto_P($0, 2.5, 0.1) }),
            // Truncated normal: (Φ((x−μ)/σ) − Φ(−μ/σ)) / (1 − Φ(−μ/σ)).
            (.normal(mean: 1, sd: 0.8), {
                let z0 = gsl_cdf_ugaussian_P(-1 / 0.8)
                return (gsl_cdf_ugaussian_P(($0 - 1) / 0.8) - z0) / (1 - z0)
            }),
            (.uniform(min: 1, max: 3), { min(max(($0 - 1) / 2, 0), 1) }),
        ]
        let n = 200_000
        for (i, (d, cdf)) in cases.enumerated() {
            let sampler = try Sampler(d)
            let rng = RandomStream(seed: 77, replication: i, name: "ks")
            var xs = (0..<n).map { _ in sampler.sample(rng) }
            xs.sort()
            var dn = 0.0
            for (k, x) in xs.enumerated() {
                let f = cdf(x)
                dn = max(dn, Double(k + 1) / Double(n) - f, f - Double(k) / Double(n))
            }
            XCTAssertLessThan(Double(n).squareRoot() * dn, 1.9495, "\(d): KS statistic √n·D too large")
        }
    }

    func testKolmogorovSmirnovDetectsAWrongDistribution() throws {
        // Sanity check of the test above: exponential draws tested against a mean 5 % off must
        // be rejected (expected √n·D ≈ √200000 · 0.018 ≈ 8, far above 1.9495).
        let sampler = try Sampler(.exponential(mean: 2))
        let rng = RandomStream(seed: 77, replication: 0, name: "ks-power")
        var xs = (0..<200_000).map { _ in sampler.sample(rng) }
        xs.sort()
        var dn = 0.0
        for (k, x) in xs.enumerated() {
            let f = gsl_cdf_exponential_P(x, 2.1)
            dn = max(dn, Double(k + 1) / 200_000 - f, f - Double(k) / 200_000)
        }
        XCTAssertGreaterThan(Double(200_000).squareRoot() * dn, 1.9495)
    }

    func testMT19937StreamsWorkWithEverySampler() throws {
        let rng = RandomStream(seed: 9, replication: 0, name: "mt", generator: .mt19937)
        for d: Distribution in [.exponential(mean: 1), .lognormal(mean: 1, cv: 1), .gamma(mean: 1, cv: 1),
                                .normal(mean: 1, sd: 1), .weibull(shape: 2, scale: 1), .pareto(shape: 3, scale: 1)] {
            let s = try Sampler(d)
            var w = Welford()
            for _ in 0..<100_000 { w.add(s.sample(rng)) }
            // 5 standard errors, se = √(Var/n).
            XCTAssertEqual(w.mean, d.mean, accuracy: 5 * (d.variance / 100_000).squareRoot(), "\(d)")
        }
    }
}
