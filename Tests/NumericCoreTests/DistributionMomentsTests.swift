// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

/// Analytic moments against values computed independently (SciPy 1.17: `stats.truncnorm`,
/// `stats.weibull_min`, `stats.pareto`) or by hand from the closed forms.
final class DistributionMomentsTests: XCTestCase {
    func testClosedForms() {
        // exponential(m): E = m, Var = m², E[X²] = 2m².
        assertMoments(.exponential(mean: 2), mean: 2, variance: 4, second: 8)
        // lognormal and gamma given by (mean, cv): Var = (mean·cv)², E[X²] = mean²(1 + cv²).
        assertMoments(.lognormal(mean: 0.03, cv: 0.5), mean: 0.03, variance: 0.000225, second: 0.001125)
        assertMoments(.gamma(mean: 1.5, cv: 0.7), mean: 1.5, variance: 1.1025, second: 3.3525)
        // uniform(a, b): E = (a+b)/2, Var = (b−a)²/12.
        assertMoments(.uniform(min: 1, max: 3), mean: 2, variance: 1.0 / 3, second: 13.0 / 3)
        assertMoments(.deterministic(value: 2.5), mean: 2.5, variance: 0, second: 6.25)
        // empirical: moments of the resampling distribution (population variance, divisor n).
        // Samples 1, 2, 2, 7.5: mean 3.125, E[X²] = (1 + 4 + 4 + 56.25)/4 = 16.3125.
        assertMoments(.empirical(samples: [1, 2, 2, 7.5]), mean: 3.125,
                      variance: 16.3125 - 3.125 * 3.125, second: 16.3125)
    }

    func testTruncatedNormalMoments() {
        // SciPy truncnorm(a = −1.25, b = ∞, loc = 1, scale = 0.8).
        assertMoments(.normal(mean: 1, sd: 0.8), mean: 1.1633803671189415,
                      variance: 0.4499264885211385, second: 1.8033803671189415)
        // Half-normal: E = √(2/π), Var = 1 − 2/π.
        assertMoments(.normal(mean: 0, sd: 1), mean: (2 / Double.pi).squareRoot(),
                      variance: 1 - 2 / Double.pi, second: 1)
        // sd = 0: the constant mean.
        assertMoments(.normal(mean: 3, sd: 0), mean: 3, variance: 0, second: 9)
        // Far from 0, truncation is invisible: N(100, 1).
        assertMoments(.normal(mean: 100, sd: 1), mean: 100, variance: 1, second: 10001)
    }

    func testWeibullAndPareto() {
        // Weibull(k, λ): E = λΓ(1 + 1/k), E[X²] = λ²Γ(1 + 2/k). SciPy weibull_min(1.5, scale=2).
        assertMoments(.weibull(shape: 1.5, scale: 2), mean: 1.805490585901867,
                      variance: 1.5027611392557279, second: 4.762557395035995)
        // Pareto(α, xₘ): E = αxₘ/(α−1), Var = xₘ²α/((α−1)²(α−2)). SciPy pareto(5, scale=1).
        assertMoments(.pareto(shape: 5, scale: 1), mean: 1.25, variance: 0.10416666666666667,
                      second: 5.0 / 3)
        // Heavy tails: infinite variance for α ≤ 2, infinite mean for α ≤ 1.
        XCTAssertEqual(Distribution.pareto(shape: 2, scale: 1).variance, .infinity)
        XCTAssertEqual(Distribution.pareto(shape: 1.5, scale: 1).secondMoment, .infinity)
        XCTAssertEqual(Distribution.pareto(shape: 1.5, scale: 1).mean, 3)
        XCTAssertEqual(Distribution.pareto(shape: 1, scale: 1).mean, .infinity)
    }

    func testOverflowInGSLGivesInfinityInsteadOfAborting() {
        // Weibull shape 0.004: E[X] = Γ(251), about 10^494, beyond Double. gsl_sf_gamma signals
        // an overflow; with GSL's aborting handler on, the process would die here.
        XCTAssertEqual(Distribution.weibull(shape: 0.004, scale: 1).mean, .infinity)
        XCTAssertEqual(Distribution.weibull(shape: 0.004, scale: 1).secondMoment, .infinity)
    }

    private func assertMoments(_ d: Distribution, mean: Double, variance: Double, second: Double,
                               file: StaticString = #filePath, line: UInt = #line) {
        // Relative tolerance 1e-12 (absolute where the value is 0): these are closed forms.
        func close(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 1e-12 * max(1, abs(y)) }
        XCTAssertTrue(close(d.mean, mean), "\(d) mean \(d.mean) ≠ \(mean)", file: file, line: line)
        XCTAssertTrue(close(d.variance, variance), "\(d) variance \(d.variance) ≠ \(variance)", file: file, line: line)
        XCTAssertTrue(close(d.secondMoment, second), "\(d) E[X²] \(d.secondMoment) ≠ \(second)", file: file, line: line)
    }
}
