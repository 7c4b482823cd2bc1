// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// The standard normal distribution N(0, 1).
public enum StandardNormal {
    /// The p-quantile Φ⁻¹(p): the z with P(Z ≤ z) = p (GSL `gsl_cdf_ugaussian_Pinv`, Wichura's
    /// AS 241). ±infinity at p = 0 or 1. Called once per request by the synthetic accuracy
    /// model, so it is a direct call into GSL with no checks.
    @inlinable
    public static func quantile(_ p: Double) -> Double {
        gsl_cdf_ugaussian_Pinv(p)
    }
}
