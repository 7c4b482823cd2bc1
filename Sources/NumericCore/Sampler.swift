// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws values from a validated `Distribution`, with its parameters precomputed once.
///
/// Methods (docs/numerics.md, "Distributions"): deterministic returns the value; exponential is
/// `mean·E` with E from `RandomStream.nextExponential()` (ziggurat); uniform is `min + (max − min)·U`; empirical picks one of the samples with equal
/// probability; lognormal is `exp(μ + σ·Z)` with Z from GSL's ziggurat; gamma, weibull and pareto
/// call GSL (`gsl_ran_gamma`, `gsl_ran_weibull`, `gsl_ran_pareto`); normal draws
/// `mean + sd·Z` (ziggurat) again until the value is ≥ 0. U is `RandomStream.nextUniform()`
/// in (0, 1). A shifted distribution draws its base the same way and adds the shift (the same
/// random numbers as the base: no extra draw). Every draw consumes the stream passed in and nothing else.
public struct Sampler: Sendable {
    /// The distribution sampled.
    public var distribution: Distribution { source.distribution }
    /// `distribution`, boxed: hot paths copy samplers (a join rule, a payload draw), and a
    /// copy of the boxed form is one retain, where a copy of `Distribution` itself (an enum
    /// with an indirect case) goes through generic value witnesses (docs/performance.md).
    private let source: DistributionBox

    @usableFromInline
    enum Method: UInt8, Sendable {
        case constant, exponential, uniform, lognormal, gamma, normal, weibull, pareto, empirical
        case shiftedExponential, shiftedLognormal, shiftedGamma, shiftedWeibull

        /// The shifted method drawing `c + (this method's draw)`, for the four shiftable families.
        var shifted: Method? {
            switch self {
            case .exponential: .shiftedExponential
            case .lognormal: .shiftedLognormal
            case .gamma: .shiftedGamma
            case .weibull: .shiftedWeibull
            default: nil
            }
        }
    }

    @usableFromInline let method: Method
    /// First precomputed parameter: value, mean, min, μ (lognormal), shape k (gamma), mean
    /// (normal), shape (weibull, pareto).
    @usableFromInline let a: Double
    /// Second precomputed parameter: width (uniform), σ (lognormal), scale θ (gamma), sd
    /// (normal), scale (weibull, pareto).
    @usableFromInline let b: Double
    /// The samples of an empirical distribution (empty otherwise).
    @usableFromInline let samples: [Double]
    /// The floor added to every draw of a shifted method (0 otherwise).
    @usableFromInline let c: Double

    /// Validates `distribution` and precomputes its sampling parameters.
    /// - Throws: the first of `distribution.validationProblems()`, if any.
    public init(_ distribution: Distribution) throws {
        GSLRuntime.ensureReady()
        if let problem = distribution.validationProblems().first { throw problem }
        source = DistributionBox(distribution)
        (method, a, b, samples, c) = Self.parameters(of: distribution)
    }

    /// The method and precomputed parameters of a validated distribution.
    private static func parameters(of distribution: Distribution)
        -> (method: Method, a: Double, b: Double, samples: [Double], c: Double) {
        let method: Method, a: Double, b: Double
        var samples: [Double] = []
        switch distribution {
        case .deterministic(let v):
            (method, a, b) = (.constant, v, 0)
        case .exponential(let m):
            (method, a, b) = (.exponential, m, 0)
        case .uniform(let lo, let hi):
            (method, a, b) = (.uniform, lo, hi - lo)
        case .lognormal(let m, let cv):
            // σ² = ln(1 + cv²), μ = ln(mean) − σ²/2, so that E[X] = mean and sd/mean = cv.
            let s2 = log1p(cv * cv)
            (method, a, b) = (.lognormal, log(m) - s2 / 2, s2.squareRoot())
        case .gamma(let m, let cv):
            // shape k = 1/cv², scale θ = mean·cv²: E[X] = kθ = mean, sd/mean = 1/√k = cv.
            (method, a, b) = (.gamma, 1 / (cv * cv), m * cv * cv)
        case .normal(let mu, let sd):
            (method, a, b) = sd == 0 ? (.constant, mu, 0) : (.normal, mu, sd)
        case .weibull(let k, let lambda):
            (method, a, b) = (.weibull, k, lambda)
        case .pareto(let alpha, let xm):
            (method, a, b) = (.pareto, alpha, xm)
        case .empirical(let values):
            (method, a, b) = (.empirical, 0, 0)
            samples = values
        case .shifted(let shift, let base):
            // Validation allows only the four shiftable families as the base.
            let inner = parameters(of: base)
            guard let shifted = inner.method.shifted else { preconditionFailure("Sampler: \(base.name) cannot be shifted") }
            return (shifted, inner.a, inner.b, [], shift)
        }
        return (method, a, b, samples, 0)
    }

    /// One draw, in the distribution's unit. The common cases (deterministic, exponential,
    /// uniform, empirical) are inlined into the caller; the others call into GSL with the
    /// precomputed parameters only, so a draw never copies the sampler (copying it would
    /// retain its storage: the empirical samples and the distribution).
    @inlinable @inline(__always)
    public func sample(_ rng: RandomStream) -> Double {
        switch method {
        case .exponential: return a * rng.nextExponential()
        case .constant: return a
        case .uniform: return a + b * rng.nextUniform()
        case .empirical:
            // Index = ⌊n·w / 2⁶⁴⌋ for a 64-bit word w: bias below n/2⁶⁴, negligible.
            let i = rng.nextUInt64().multipliedFullWidth(by: UInt64(samples.count)).high
            return samples[Int(i)]
        case .shiftedExponential, .shiftedLognormal, .shiftedGamma, .shiftedWeibull:
            return Self.sampleShifted(method, a, b, c, rng)
        default: return Self.sampleWithGSL(method, a, b, rng)
        }
    }

    /// A shifted family's draw: `c` plus the unshifted family's draw with the same parameters.
    @usableFromInline
    static func sampleShifted(_ method: Method, _ a: Double, _ b: Double, _ c: Double, _ rng: RandomStream) -> Double {
        switch method {
        case .shiftedExponential: return c + a * rng.nextExponential()
        case .shiftedLognormal: return c + sampleWithGSL(.lognormal, a, b, rng)
        case .shiftedGamma: return c + sampleWithGSL(.gamma, a, b, rng)
        case .shiftedWeibull: return c + sampleWithGSL(.weibull, a, b, rng)
        default: preconditionFailure("Sampler.sampleShifted: \(method) is not shifted")
        }
    }

    /// The draws GSL makes: lognormal, gamma, truncated normal, weibull, pareto.
    @usableFromInline
    static func sampleWithGSL(_ method: Method, _ a: Double, _ b: Double, _ rng: RandomStream) -> Double {
        let r = rng.gslRNG
        switch method {
        case .lognormal:
            return exp(a + b * gsl_ran_gaussian_ziggurat(r, 1))
        case .gamma:
            return gsl_ran_gamma(r, a, b)
        case .normal:
            // Truncation at 0 by rejection; mean ≥ 0, so each try is accepted with p ≥ 1/2.
            while true {
                let x = a + b * gsl_ran_gaussian_ziggurat(r, 1)
                if x >= 0 { return x }
            }
        case .weibull:
            return gsl_ran_weibull(r, b, a)  // GSL order: (scale, shape)
        case .pareto:
            return gsl_ran_pareto(r, a, b)  // GSL order: (shape, scale)
        case .exponential, .constant, .uniform, .empirical,
             .shiftedExponential, .shiftedLognormal, .shiftedGamma, .shiftedWeibull:
            preconditionFailure("Sampler.sampleWithGSL: \(method) is drawn inline")
        }
    }
}

/// A distribution in a box, so that copying what holds it costs one retain (`Sampler`).
private final class DistributionBox: Sendable {
    let distribution: Distribution
    init(_ distribution: Distribution) { self.distribution = distribution }
}
