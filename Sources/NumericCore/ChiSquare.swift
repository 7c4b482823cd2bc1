// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// The chi-square distribution.
public enum ChiSquare {
    /// The upper tail P(X > x) of a chi-square variable with `degreesOfFreedom` ν (GSL
    /// `gsl_cdf_chisq_Q`): the p-value of a statistic x. 1 at x ≤ 0; NaN when ν ≤ 0 or x is NaN.
    public static func upperTail(_ x: Double, degreesOfFreedom: Double) -> Double {
        GSLRuntime.ensureReady()
        guard degreesOfFreedom > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 1 }
        return gsl_cdf_chisq_Q(x, degreesOfFreedom)
    }

    /// The test of homogeneity of k independent means mᵢ with standard errors seᵢ > 0 (k ≥ 2):
    /// χ² = Σ (mᵢ − m̄_w)² / seᵢ², m̄_w = Σ (mᵢ / seᵢ²) / Σ (1 / seᵢ²) the inverse-variance
    /// weighted mean, with k − 1 degrees of freedom (each mean taken as normal: large samples).
    /// nil with fewer than 2 means or a standard error that is not positive and finite.
    public static func homogeneity(means: [Double], standardErrors: [Double])
        -> (statistic: Double, degreesOfFreedom: Int, pValue: Double, weightedMean: Double)? {
        guard means.count >= 2, means.count == standardErrors.count,
              standardErrors.allSatisfy({ $0 > 0 && $0.isFinite }), means.allSatisfy(\.isFinite) else { return nil }
        let weights = standardErrors.map { 1 / ($0 * $0) }
        let weightedMean = zip(means, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
        let statistic = zip(means, weights).reduce(0) { $0 + ($1.0 - weightedMean) * ($1.0 - weightedMean) * $1.1 }
        let df = means.count - 1
        return (statistic, df, upperTail(statistic, degreesOfFreedom: Double(df)), weightedMean)
    }
}
