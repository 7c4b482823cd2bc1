// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// Draws from a Beta(α, β) distribution on [0, 1] as X / (X + Y) with X ~ Gamma(α, 1) and
/// Y ~ Gamma(β, 1) (`GammaVariate`). A zero shape makes it a constant: β = 0 gives 1, α = 0
/// gives 0.
public struct BetaVariate: Sendable {
    public let alpha: Double
    public let beta: Double
    private let x: GammaVariate?
    private let y: GammaVariate?
    /// The value when the distribution is a point mass, else NaN.
    private let constant: Double

    /// α, β finite and ≥ 0, not both 0.
    public init(alpha: Double, beta: Double) {
        precondition(alpha.isFinite && beta.isFinite && alpha >= 0 && beta >= 0 && alpha + beta > 0,
                     "Beta shapes must be finite, non-negative, not both 0")
        self.alpha = alpha
        self.beta = beta
        if beta == 0 {
            (constant, x, y) = (1, nil, nil)
        } else if alpha == 0 {
            (constant, x, y) = (0, nil, nil)
        } else {
            (constant, x, y) = (.nan, GammaVariate(shape: alpha), GammaVariate(shape: beta))
        }
    }

    /// The Beta distribution with mean `mean` (0...1) and concentration α + β = `concentration`.
    public init(mean: Double, concentration: Double) {
        self.init(alpha: mean * concentration, beta: (1 - mean) * concentration)
    }

    /// The mean α / (α + β).
    var mean: Double { alpha / (alpha + beta) }

    /// P(X ≤ x): GSL's regularised incomplete beta function; for a point mass (β = 0: at 1;
    /// α = 0: at 0), its step.
    public func cdf(_ x: Double) -> Double {
        if x < 0 { return 0 }
        if x >= 1 { return 1 }
        if beta == 0 { return 0 }
        if alpha == 0 { return 1 }
        return gsl_cdf_beta_P(x, alpha, beta)
    }

    /// One draw in [0, 1].
    @inline(__always)
    public func sample(_ stream: RandomStream) -> Double {
        guard let x, let y else { return constant }
        let gx = x.sample(stream)
        let total = gx + y.sample(stream)
        // Both gammas underflow to 0 only for tiny shapes; fall back to the mean.
        return total > 0 ? gx / total : mean
    }
}
