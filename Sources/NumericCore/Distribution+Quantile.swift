// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Distribution {
    /// The p-quantile Q(p) = inf{x : P(X ≤ x) ≥ p} of the distribution `Sampler` draws from,
    /// for 0 ≤ p < 1, in the distribution's unit; nil for p outside [0, 1).
    ///
    /// Closed forms: exponential −m·ln(1 − p); uniform a + p(b − a); weibull λ(−ln(1 − p))^{1/k};
    /// pareto xₘ(1 − p)^{−1/α}; lognormal and gamma by GSL's inverse CDFs with the parameters
    /// of `Sampler` (lognormal σ² = ln(1 + cv²), ζ = ln m − σ²/2; gamma shape 1/cv², scale m·cv²);
    /// normal truncated at 0: μ + σΦ⁻¹(Φ(−μ/σ) + p(1 − Φ(−μ/σ))); empirical: the ⌈p·n⌉-th smallest
    /// sample (the first for p = 0); shifted: shift + the base's quantile. Meaningful only when `validationProblems()` is empty.
    public func quantile(_ p: Double) -> Double? {
        guard p >= 0, p < 1 else { return nil }
        GSLRuntime.ensureReady()
        switch self {
        case .deterministic(let v): return v
        case .exponential(let m): return -m * log1p(-p)
        case .uniform(let lo, let hi): return lo + p * (hi - lo)
        case .weibull(let k, let lambda): return lambda * pow(-log1p(-p), 1 / k)
        case .pareto(let alpha, let xm): return xm * pow(1 - p, -1 / alpha)
        case .lognormal(let m, let cv):
            if cv == 0 { return m }
            let sigma2 = log1p(cv * cv)
            return gsl_cdf_lognormal_Pinv(p, log(m) - sigma2 / 2, sigma2.squareRoot())
        case .gamma(let m, let cv):
            if cv == 0 { return m }
            return gsl_cdf_gamma_Pinv(p, 1 / (cv * cv), m * cv * cv)
        case .normal(let mu, let sd):
            if sd == 0 { return Swift.max(mu, 0) }
            let below = gsl_cdf_ugaussian_P(-mu / sd)
            return Swift.max(0, mu + sd * gsl_cdf_ugaussian_Pinv(below + p * (1 - below)))
        case .empirical(let samples):
            guard !samples.isEmpty else { return nil }
            let sorted = samples.sorted()
            let rank = Int((p * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(rank, 1) - 1]
        case .shifted(let shift, let base):
            return base.quantile(p).map { shift + $0 }
        }
    }
}
