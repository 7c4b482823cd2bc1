// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// Student's t distribution.
public enum StudentT {
    /// The p-quantile of Student's t with `degreesOfFreedom` ν: the t with P(T ≤ t) = p
    /// (GSL `gsl_cdf_tdist_Pinv`). NaN when p ∉ (0, 1) or ν ≤ 0, ±infinity at p = 0 or 1.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        GSLRuntime.ensureReady()
        guard degreesOfFreedom > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        return gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
    }
}
