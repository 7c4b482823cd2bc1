// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

/// `Distribution.quantile(p)` against hand-computed closed forms (tolerance 1e-12 relative,
/// GSL's inverse CDFs are accurate to near double precision).
final class DistributionQuantileTests: XCTestCase {
    private func check(_ d: Distribution, _ p: Double, _ expected: Double, line: UInt = #line) {
        guard let q = d.quantile(p) else { return XCTFail("no quantile", line: line) }
        XCTAssertEqual(q, expected, accuracy: 1e-12 * max(1, abs(expected)), "\(d) at \(p)", line: line)
    }

    func testClosedForms() {
        check(.deterministic(value: 5), 0.99, 5)
        // Exponential: −m ln(1 − p); the median of mean 2 is 2 ln 2.
        check(.exponential(mean: 2), 0.5, 2 * log(2.0))
        check(.uniform(min: 1, max: 3), 0.25, 1.5)
        // Weibull: λ(−ln(1 − p))^{1/k}; at p = 1 − 1/e it is λ.
        check(.weibull(shape: 2, scale: 1), 1 - exp(-1.0), 1)
        // Pareto: xₘ(1 − p)^{−1/α}: (1/4)^{−1/2} = 2.
        check(.pareto(shape: 2, scale: 1), 0.75, 2)
        // Lognormal median exp(ζ) = m / √(1 + cv²).
        check(.lognormal(mean: 1, cv: 1), 0.5, 1 / 2.0.squareRoot())
        // Gamma with cv 1 is the exponential.
        check(.gamma(mean: 2, cv: 1), 0.5, 2 * log(2.0))
        // Normal(0, 1) truncated at 0 is the half-normal: median Φ⁻¹(0.75).
        check(.normal(mean: 0, sd: 1), 0.5, 0.6744897501960817)
        // Empirical: the ⌈p·n⌉-th smallest sample.
        check(.empirical(samples: [3, 1, 2, 4]), 0.5, 2)
        check(.empirical(samples: [3, 1, 2, 4]), 0.51, 3)
        check(.empirical(samples: [3, 1, 2, 4]), 0, 1)
    }

    func testPOutsideTheUnitIntervalHasNoQuantile() {
        XCTAssertNil(Distribution.exponential(mean: 1).quantile(1))
        XCTAssertNil(Distribution.exponential(mean: 1).quantile(-0.1))
    }
}
