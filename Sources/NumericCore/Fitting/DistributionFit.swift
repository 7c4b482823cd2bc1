// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// One family fitted to samples by `DistributionFitter`: its parameters, its log-likelihood
/// and AIC, and its Kolmogorov–Smirnov distance to the data. Times are in the samples' unit
/// (seconds when they come from the calibration command).
public struct DistributionFit: Sendable, Equatable {
    /// The shape of the fitted distribution, in its natural parameters.
    public enum Kernel: Sendable, Equatable {
        /// Exponential with the given mean.
        case exponential(mean: Double)
        /// Gamma with shape k and scale θ (mean kθ).
        case gamma(shape: Double, scale: Double)
        /// Lognormal: ln X is normal with mean μ and standard deviation σ.
        case lognormal(mu: Double, sigma: Double)
        /// Weibull with shape k and scale λ: P(X > x) = exp(−(x/λ)^k).
        case weibull(shape: Double, scale: Double)
        /// Always `value`.
        case deterministic(value: Double)
        /// The samples themselves, sorted ascending.
        case empirical(sorted: [Double])
    }

    /// The family fitted.
    public var family: FitFamily
    /// The location c (0 for unshifted families): the fit is c + Y with Y following `kernel`.
    public var shift: Double
    /// The fitted distribution of Y.
    public var kernel: Kernel
    /// Number of samples fitted.
    public var sampleCount: Int
    /// Maximised log-likelihood ln L (nil for deterministic and empirical).
    public var logLikelihood: Double?
    /// Akaike's information criterion 2k − 2 ln L, k free parameters (nil without a likelihood).
    public var aic: Double?
    /// Kolmogorov–Smirnov distance between the fit and the data, with its p-value.
    public var ks: KolmogorovSmirnov

    /// The named parameters as reported (`shift` first for shifted families).
    public var parameters: [(name: String, value: Double)] {
        var list: [(String, Double)] = family.isShifted ? [("shift", shift)] : []
        switch kernel {
        case .exponential(let mean): list.append(("mean", mean))
        case .gamma(let k, let theta): list += [("shape", k), ("scale", theta)]
        case .lognormal(let mu, let sigma): list += [("mu", mu), ("sigma", sigma)]
        case .weibull(let k, let lambda): list += [("shape", k), ("scale", lambda)]
        case .deterministic(let value): list.append(("value", value))
        case .empirical(let sorted): list.append(("samples", Double(sorted.count)))
        }
        return list
    }

    /// The fitted mean E[X].
    public var mean: Double { shift + Self.mean(of: kernel) }

    /// The fit as a scenario distribution (mean and cv for gamma and lognormal); a shifted
    /// family is `.shifted(shift: c, base: the kernel's distribution)`. Never nil today; kept
    /// optional for families the format may not carry.
    public var distribution: Distribution? {
        guard family.isShifted else { return Self.distribution(of: kernel) }
        return .shifted(shift: shift, base: Self.distribution(of: kernel))
    }

    /// The kernel as a scenario distribution.
    static func distribution(of kernel: Kernel) -> Distribution {
        switch kernel {
        case .exponential(let mean): return .exponential(mean: mean)
        case .gamma(let k, let theta): return .gamma(mean: k * theta, cv: 1 / k.squareRoot())
        case .lognormal(let mu, let sigma):
            let s2 = sigma * sigma
            return .lognormal(mean: exp(mu + s2 / 2), cv: expm1(s2).squareRoot())
        case .weibull(let k, let lambda): return .weibull(shape: k, scale: lambda)
        case .deterministic(let value): return .deterministic(value: value)
        case .empirical(let sorted): return .empirical(samples: sorted)
        }
    }

    /// P(X ≤ x) under the fit.
    public func cdf(_ x: Double) -> Double {
        GSLRuntime.ensureReady()
        let y = x - shift
        switch kernel {
        case .exponential(let mean): return y <= 0 ? 0 : gsl_cdf_exponential_P(y, mean)
        case .gamma(let k, let theta): return y <= 0 ? 0 : gsl_cdf_gamma_P(y, k, theta)
        case .lognormal(let mu, let sigma): return y <= 0 ? 0 : gsl_cdf_lognormal_P(y, mu, sigma)
        case .weibull(let k, let lambda): return y <= 0 ? 0 : gsl_cdf_weibull_P(y, lambda, k)
        case .deterministic(let value): return y < value ? 0 : 1
        case .empirical(let sorted):
            var lo = 0, hi = sorted.count  // first index with sorted[i] > y
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= y { lo = mid + 1 } else { hi = mid }
            }
            return Double(lo) / Double(sorted.count)
        }
    }

    static func mean(of kernel: Kernel) -> Double {
        switch kernel {
        case .exponential(let mean): mean
        case .gamma(let k, let theta): k * theta
        case .lognormal(let mu, let sigma): exp(mu + sigma * sigma / 2)
        case .weibull(let k, let lambda): lambda * exp(gsl_sf_lngamma(1 + 1 / k))
        case .deterministic(let value): value
        case .empirical(let sorted): sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    public static func == (a: DistributionFit, b: DistributionFit) -> Bool {
        a.family == b.family && a.shift == b.shift && a.kernel == b.kernel && a.sampleCount == b.sampleCount
            && a.logLikelihood == b.logLikelihood && a.aic == b.aic && a.ks == b.ks
    }
}
