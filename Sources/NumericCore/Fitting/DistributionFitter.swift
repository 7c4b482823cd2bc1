// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// Maximum-likelihood fits of `FitFamily` distributions to samples (docs/calibration.md,
/// "Estimators"). Deterministic: pure functions of the samples, no randomness.
///
/// - exponential: mean = x̄ (closed form);
/// - lognormal: μ, σ² = mean and (1/n) variance of ln x (closed form);
/// - gamma: shape k solves ln k − ψ(k) = s = ln x̄ − mean(ln x) (Newton from the closed-form
///   approximation k₀ = (3 − s + √((s − 3)² + 24s))/(12s)), scale θ = x̄/k;
/// - Weibull: shape k solves Σxᵏ ln x / Σxᵏ − 1/k − mean(ln x) = 0 (the left side increases with
///   k: Newton kept inside the sign bracket, bisection on ln k otherwise), λ = (mean xᵏ)^(1/k);
/// - shifted variants: the profile likelihood of the location c over [0, min − δ], δ = range/n
///   (the likelihood of a shape below 1 grows without bound as c reaches the minimum), by a
///   33-point grid and golden-section refinement around its best point;
/// - deterministic: the sample mean; empirical: the samples.
public enum DistributionFitter {
    /// Fits `family` to `samples` (finite, not negative).
    /// - Throws: `NumericError.invalidArgument` (parameter `samples`) when there are fewer than
    ///   `family.minimumSamples`, a value is negative or not finite, a family on (0, ∞) meets a
    ///   zero, or all values are equal (a continuous family has no maximum-likelihood fit then).
    public static func fit(_ family: FitFamily, samples: [Double]) throws(NumericError) -> DistributionFit {
        GSLRuntime.ensureReady()
        guard samples.count >= family.minimumSamples else {
            throw .invalidArgument(parameter: "samples", message:
                "\(family.rawValue) needs at least \(family.minimumSamples) samples, got \(samples.count)")
        }
        if let bad = samples.first(where: { !$0.isFinite || $0 < 0 }) {
            throw .invalidArgument(parameter: "samples", message: "samples must be finite and not negative, found \(bad)")
        }
        let sorted = samples.sorted()
        let kernel: DistributionFit.Kernel
        var shift = 0.0
        var logL: Double?
        switch family {
        case .deterministic:
            let first = sorted.first!
            kernel = .deterministic(value: sorted.last! == first ? first : samples.reduce(0, +) / Double(samples.count))
        case .empirical:
            kernel = .empirical(sorted: sorted)
        case .exponential, .gamma, .lognormal, .weibull:
            guard sorted.first! < sorted.last! else { throw equalSamples(family) }
            if family != .exponential, sorted.first! == 0 {
                throw .invalidArgument(parameter: "samples", message:
                    "\(family.rawValue) lives on (0, ∞) but a sample is 0: fit a shifted or exponential family, or drop the zeros")
            }
            (kernel, logL) = fitUnshifted(family, sorted)
        case .shiftedExponential, .shiftedGamma, .shiftedLognormal, .shiftedWeibull:
            guard sorted.first! < sorted.last! else { throw equalSamples(family) }
            if family != .shiftedExponential, sorted.first! == 0 {
                throw .invalidArgument(parameter: "samples", message:
                    "\(family.rawValue) needs a shift below the smallest sample, which is 0: times cannot shift below 0")
            }
            (shift, kernel, logL) = fitShifted(family.base, sorted)
        }
        let fitted = DistributionFit(family: family, shift: shift, kernel: kernel, sampleCount: samples.count,
                                     logLikelihood: logL, aic: nil, ks: .init(statistic: 0, pValue: 1))
        var result = fitted
        if let logL {
            guard logL.isFinite else {
                throw .invalidArgument(parameter: "samples", message: "the \(family.rawValue) likelihood of these samples is not finite")
            }
            if let k = family.parameterCount { result.aic = 2 * Double(k) - 2 * logL }
        }
        result.ks = KolmogorovSmirnov.test(sorted: sorted, cdf: fitted.cdf)
        return result
    }

    private static func equalSamples(_ family: FitFamily) -> NumericError {
        .invalidArgument(parameter: "samples", message:
            "all samples are equal, so \(family.rawValue) has no maximum-likelihood fit: the data is deterministic")
    }

    /// The fit of an unshifted family to positive (gamma, lognormal, Weibull) or non-negative
    /// (exponential) sorted values, not all equal, with its log-likelihood.
    static func fitUnshifted(_ family: FitFamily, _ x: [Double]) -> (DistributionFit.Kernel, Double) {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        switch family {
        case .exponential:
            return (.exponential(mean: mean), -n * log(mean) - n)
        case .lognormal:
            let logs = x.map { log($0) }
            let mu = logs.reduce(0, +) / n
            let variance = logs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / n
            let sumLog = logs.reduce(0, +)
            return (.lognormal(mu: mu, sigma: variance.squareRoot()),
                    -sumLog - n / 2 * log(2 * Double.pi * variance) - n / 2)
        case .gamma:
            let sumLog = x.reduce(0) { $0 + log($1) }
            let s = max(log(mean) - sumLog / n, 1e-300)
            var k = (3 - s + ((s - 3) * (s - 3) + 24 * s).squareRoot()) / (12 * s)
            for _ in 0..<100 {
                let step = (log(k) - gsl_sf_psi(k) - s) / (1 / k - gsl_sf_psi_1(k))
                let next = k - step > 0 ? k - step : k / 2
                let done = abs(next - k) <= 1e-13 * k
                k = next
                if done { break }
            }
            let theta = mean / k
            return (.gamma(shape: k, scale: theta),
                    (k - 1) * sumLog - n * mean / theta - n * k * log(theta) - n * gsl_sf_lngamma(k))
        case .weibull:
            // Scaled by the mean so that powers neither overflow nor underflow.
            let logs = x.map { log($0 / mean) }
            let meanLog = logs.reduce(0, +) / n
            let k = weibullShape(logs: logs, meanLog: meanLog)
            let meanPow = logs.reduce(0) { $0 + exp(k * $1) } / n
            let lambda = mean * pow(meanPow, 1 / k)
            let sumLog = x.reduce(0) { $0 + log($1) }
            let sumRatio = x.reduce(0) { $0 + pow($1 / lambda, k) }
            return (.weibull(shape: k, scale: lambda),
                    n * log(k) - n * k * log(lambda) + (k - 1) * sumLog - sumRatio)
        default:
            preconditionFailure("fitUnshifted called with \(family)")
        }
    }

    /// The root of g(k) = Σ eᵏˡ l / Σ eᵏˡ − 1/k − mean(l) over the logs l of the scaled values:
    /// g increases with k, so Newton's steps are kept inside the bracket the signs of g give
    /// (bisection on ln k when a step leaves it). Starts from the moment estimate π/(√6·sd(l)).
    static func weibullShape(logs: [Double], meanLog: Double) -> Double {
        let n = Double(logs.count)
        let sdLog = (logs.reduce(0) { $0 + ($1 - meanLog) * ($1 - meanLog) } / n).squareRoot()
        var k = min(max(Double.pi / (6.0.squareRoot() * sdLog), 1e-3), 1e6)
        var lo = 0.0, hi = Double.infinity
        for _ in 0..<200 {
            var s0 = 0.0, s1 = 0.0, s2 = 0.0
            for l in logs {
                let p = exp(k * l)
                s0 += p; s1 += p * l; s2 += p * l * l
            }
            let g = s1 / s0 - 1 / k - meanLog
            let slope = s2 / s0 - (s1 / s0) * (s1 / s0) + 1 / (k * k)
            if g < 0 { lo = k } else { hi = k }
            var next = k - g / slope
            if !(next > lo && next < hi) {
                next = hi.isFinite ? (lo > 0 ? (lo * hi).squareRoot() : hi / 2) : k * 2
            }
            let done = abs(next - k) <= 1e-13 * k || (hi.isFinite && hi - lo <= 1e-14 * hi)
            k = next
            if done { break }
        }
        return k
    }

    /// The profile-likelihood fit of `base` shifted by c ∈ [0, min − range/n].
    static func fitShifted(_ base: FitFamily, _ x: [Double]) -> (Double, DistributionFit.Kernel, Double) {
        let minimum = x.first!, range = x.last! - x.first!
        let upper = minimum - range / Double(x.count)
        guard upper > 0 else {
            let (kernel, logL) = fitUnshifted(base, x)
            return (0, kernel, logL)
        }
        func profile(_ c: Double) -> Double { fitUnshifted(base, x.map { $0 - c }).1 }
        let points = 32
        let grid = (0...points).map { upper * Double($0) / Double(points) }
        let values = grid.map(profile)
        let best = values.indices.max { values[$0] < values[$1] }!
        var a = grid[max(best - 1, 0)], b = grid[min(best + 1, points)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var c1 = b - ratio * (b - a), c2 = a + ratio * (b - a)
        var f1 = profile(c1), f2 = profile(c2)
        for _ in 0..<40 {
            if f1 < f2 {
                a = c1; c1 = c2; f1 = f2
                c2 = a + ratio * (b - a); f2 = profile(c2)
            } else {
                b = c2; c2 = c1; f2 = f1
                c1 = b - ratio * (b - a); f1 = profile(c1)
            }
        }
        var shift = f1 >= f2 ? c1 : c2
        if values[best] > max(f1, f2) { shift = grid[best] }
        let (kernel, logL) = fitUnshifted(base, x.map { $0 - shift })
        return (shift, kernel, logL)
    }
}
