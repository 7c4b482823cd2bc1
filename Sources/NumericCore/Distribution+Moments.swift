// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

extension Distribution {
    /// E[X], in the distribution's unit. `.infinity` where it diverges (pareto with shape ≤ 1).
    /// For `normal` this is the mean of the distribution *truncated at 0* that `Sampler` draws
    /// from, not the `mean` parameter. Meaningful only when `validationProblems()` is empty.
    public var mean: Double {
        GSLRuntime.ensureReady()
        switch self {
        case .deterministic(let v): return v
        case .exponential(let m), .lognormal(let m, _), .gamma(let m, _): return m
        case .normal(let mu, let sd):
            return TruncatedNormal(mu: mu, sigma: sd).mean
        case .uniform(let lo, let hi): return (lo + hi) / 2
        case .weibull(let k, let lambda): return lambda * gsl_sf_gamma(1 + 1 / k)
        case .pareto(let alpha, let xm): return alpha > 1 ? alpha * xm / (alpha - 1) : .infinity
        case .empirical(let samples): return Self.moments(of: samples).mean
        case .shifted(let shift, let base): return shift + base.mean
        }
    }

    /// Var[X] = E[(X − E[X])²], in the distribution's unit squared. `.infinity` where it
    /// diverges (pareto with shape ≤ 2). For `empirical` it is the population variance of the
    /// samples (divisor n), the variance of resampling them.
    public var variance: Double {
        GSLRuntime.ensureReady()
        switch self {
        case .deterministic: return 0
        case .exponential(let m): return m * m
        case .lognormal(let m, let cv), .gamma(let m, let cv): return (m * cv) * (m * cv)
        case .normal(let mu, let sd): return TruncatedNormal(mu: mu, sigma: sd).variance
        case .uniform(let lo, let hi): return (hi - lo) * (hi - lo) / 12
        case .weibull(let k, let lambda):
            let g1 = gsl_sf_gamma(1 + 1 / k)
            return lambda * lambda * (gsl_sf_gamma(1 + 2 / k) - g1 * g1)
        case .pareto(let alpha, let xm):
            guard alpha > 2 else { return .infinity }
            return xm * xm * alpha / ((alpha - 1) * (alpha - 1) * (alpha - 2))
        case .empirical(let samples): return Self.moments(of: samples).variance
        case .shifted(_, let base): return base.variance
        }
    }

    /// E[X²] (the second raw moment, used by Pollaczek–Khinchine), in the unit squared.
    /// `.infinity` where it diverges (pareto with shape ≤ 2).
    public var secondMoment: Double {
        GSLRuntime.ensureReady()
        switch self {
        case .deterministic(let v): return v * v
        case .exponential(let m): return 2 * m * m
        case .lognormal(let m, let cv), .gamma(let m, let cv): return m * m * (1 + cv * cv)
        case .normal(let mu, let sd):
            let t = TruncatedNormal(mu: mu, sigma: sd)
            return t.variance + t.mean * t.mean
        case .uniform(let lo, let hi): return (lo * lo + lo * hi + hi * hi) / 3
        case .weibull(let k, let lambda): return lambda * lambda * gsl_sf_gamma(1 + 2 / k)
        case .pareto(let alpha, let xm): return alpha > 2 ? alpha * xm * xm / (alpha - 2) : .infinity
        case .empirical(let samples):
            let m = Self.moments(of: samples)
            return m.variance + m.mean * m.mean
        case .shifted(let shift, let base):
            let mean = shift + base.mean
            return base.variance + mean * mean
        }
    }

    /// Mean and population variance of `samples` (Welford, so no cancellation).
    private static func moments(of samples: [Double]) -> (mean: Double, variance: Double) {
        guard !samples.isEmpty else { return (.nan, .nan) }
        var w = Welford()
        for x in samples { w.add(x) }
        let n = Double(w.count)
        return (w.mean, w.count > 1 ? w.variance * (n - 1) / n : 0)
    }
}

/// Moments of N(μ, σ²) conditioned on X ≥ 0. With α = −μ/σ, φ the standard normal density and
/// Z = 1 − Φ(α) = Φ(μ/σ), λ = φ(α)/Z: mean = μ + σλ, variance = σ²(1 + αλ − λ²).
/// For μ ≥ 0 (what validation allows), Z ≥ 1/2, so nothing cancels catastrophically.
private struct TruncatedNormal {
    var mu: Double
    var sigma: Double

    private var alphaLambda: (alpha: Double, lambda: Double) {
        let alpha = -mu / sigma
        return (alpha, gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_P(mu / sigma))
    }

    var mean: Double {
        guard sigma > 0 else { return mu }
        return mu + sigma * alphaLambda.lambda
    }

    var variance: Double {
        guard sigma > 0 else { return 0 }
        let (alpha, lambda) = alphaLambda
        return sigma * sigma * (1 + alpha * lambda - lambda * lambda)
    }
}
