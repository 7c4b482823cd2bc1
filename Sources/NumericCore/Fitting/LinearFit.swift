// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// A straight-line fit y = intercept + slope·x by least squares (GSL `gsl_fit_linear`, or
/// `gsl_fit_wlinear` with weights), with the standard errors of both coefficients and the
/// two-sided p-value of "slope = 0".
///
/// Unweighted: standard errors from the residual scatter, slope test against Student's t with
/// n − 2 degrees of freedom. Weighted with wᵢ = 1/σᵢ² (σᵢ known, e.g. the standard error of a
/// level's mean): standard errors from the weights, slope test against the standard normal.
public struct LinearFit: Sendable, Equatable {
    public var intercept: Double
    public var slope: Double
    public var interceptStandardError: Double
    public var slopeStandardError: Double
    /// Number of points fitted.
    public var count: Int
    /// Two-sided p-value of the hypothesis slope = 0.
    public var slopePValue: Double

    /// Ordinary least squares; needs at least 3 points and two distinct x.
    public static func ordinary(x: [Double], y: [Double]) throws(NumericError) -> LinearFit {
        try check(x: x, y: y, minimum: 3)
        GSLRuntime.ensureReady()
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        _ = gsl_fit_linear(x, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
        let se1 = cov11.squareRoot()
        let t = se1 > 0 ? abs(c1) / se1 : (c1 == 0 ? 0 : .infinity)
        return LinearFit(intercept: c0, slope: c1, interceptStandardError: cov00.squareRoot(), slopeStandardError: se1,
                         count: x.count, slopePValue: 2 * gsl_cdf_tdist_Q(t, Double(x.count - 2)))
    }

    /// Weighted least squares with weights 1/σᵢ²; needs at least 2 points and two distinct x.
    public static func weighted(x: [Double], y: [Double], standardErrors: [Double]) throws(NumericError) -> LinearFit {
        try check(x: x, y: y, minimum: 2)
        guard standardErrors.count == x.count, standardErrors.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidArgument(parameter: "standardErrors", message: "need one positive finite standard error per point")
        }
        GSLRuntime.ensureReady()
        let w = standardErrors.map { 1 / ($0 * $0) }
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, chisq = 0.0
        _ = gsl_fit_wlinear(x, 1, w, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &chisq)
        let se1 = cov11.squareRoot()
        let z = se1 > 0 ? abs(c1) / se1 : (c1 == 0 ? 0 : .infinity)
        return LinearFit(intercept: c0, slope: c1, interceptStandardError: cov00.squareRoot(), slopeStandardError: se1,
                         count: x.count, slopePValue: 2 * gsl_cdf_ugaussian_Q(z))
    }

    private static func check(x: [Double], y: [Double], minimum: Int) throws(NumericError) {
        guard x.count == y.count else {
            throw .invalidArgument(parameter: "y", message: "has \(y.count) values for \(x.count) x values")
        }
        guard x.count >= minimum else {
            throw .invalidArgument(parameter: "x", message: "a line needs at least \(minimum) points here, got \(x.count)")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
            throw .invalidArgument(parameter: "x", message: "values must be finite")
        }
        guard let first = x.first, x.contains(where: { $0 != first }) else {
            throw .invalidArgument(parameter: "x", message: "all x are equal: no slope can be fitted")
        }
    }
}
