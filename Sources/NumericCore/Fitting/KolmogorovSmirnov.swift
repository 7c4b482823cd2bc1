// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// The one-sample Kolmogorov–Smirnov statistic of a fit, D = sup |Fₙ(x) − F(x)|, and its
/// p-value from the asymptotic Kolmogorov distribution with Stephens' small-sample factor:
/// p = Q_K((√n + 0.12 + 0.11/√n)·D).
///
/// Caveat (docs/calibration.md): that distribution assumes F was fixed before seeing the data.
/// When F's parameters are estimated from the same samples, D is smaller than it would be, so
/// this p-value is conservative (too large): a small p is a real rejection, a large one is weaker
/// evidence of fit than it looks.
public struct KolmogorovSmirnov: Sendable, Equatable {
    /// D, in [0, 1].
    public var statistic: Double
    /// Asymptotic P(D_n ≥ observed D) under the fitted distribution.
    public var pValue: Double
    /// The parametric-bootstrap p-value (`KSBootstrap`), when it was computed.
    public var bootstrapPValue: Double?
    /// The number of bootstrap replicates behind `bootstrapPValue`.
    public var bootstrapReplicates: Int?

    /// The p-value to judge the fit by: the bootstrap's when there is one, else the asymptotic one.
    public var bestPValue: Double { bootstrapPValue ?? pValue }

    public init(statistic: Double, pValue: Double) {
        self.statistic = statistic
        self.pValue = pValue
    }

    /// D and its p-value for `sorted` (ascending) against the CDF `cdf`.
    public static func test(sorted: [Double], cdf: (Double) -> Double) -> KolmogorovSmirnov {
        let n = Double(sorted.count)
        var d = 0.0
        for (index, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(index + 1) / n - f, f - Double(index) / n)
        }
        let root = n.squareRoot()
        return KolmogorovSmirnov(statistic: d, pValue: kolmogorovSurvival((root + 0.12 + 0.11 / root) * d))
    }

    /// Q_K(λ) = P(K > λ) = 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²λ²) for the Kolmogorov distribution K.
    /// Below λ = 1.18 the alternating series converges slowly, so the complement is summed
    /// instead: P(K ≤ λ) = (√(2π)/λ) Σ_{j≥1} exp(−(2j−1)²π²/(8λ²)).
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 1.18 {
            var sum = 0.0
            for j in 1...20 {
                let odd = Double(2 * j - 1)
                sum += exp(-odd * odd * Double.pi * Double.pi / (8 * lambda * lambda))
            }
            return min(1, max(0, 1 - (2 * Double.pi).squareRoot() / lambda * sum))
        }
        var sum = 0.0
        for j in 1...100 {
            let term = exp(-2 * Double(j * j) * lambda * lambda)
            sum += j % 2 == 1 ? term : -term
            if term < 1e-300 { break }
        }
        return min(1, max(0, 2 * sum))
    }
}
