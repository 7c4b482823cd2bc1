// SPDX-License-Identifier: GPL-3.0-or-later

/// A probability distribution of a non-negative quantity, in the quantity's base unit
/// (seconds for times, bytes for sizes). Parameters are exactly those of the scenario format
/// (CONTRACT.md): lognormal and gamma are given by mean and coefficient of variation.
///
/// Construct freely; check `validationProblems()` before sampling (the scenario loader and `Sampler.init` do).
public enum Distribution: Sendable, Equatable {
    /// Always `value` (a bare quantity such as `2ms` in a scenario file).
    case deterministic(value: Double)
    /// Exponential with the given mean.
    case exponential(mean: Double)
    /// Lognormal with the given mean and coefficient of variation (sd / mean).
    case lognormal(mean: Double, cv: Double)
    /// Gamma with the given mean and coefficient of variation (shape = 1/cv², scale = mean·cv²).
    case gamma(mean: Double, cv: Double)
    /// Normal with mean and standard deviation, truncated at 0 (negative draws are redrawn).
    case normal(mean: Double, sd: Double)
    /// Continuous uniform on [min, max].
    case uniform(min: Double, max: Double)
    /// Weibull with shape k and scale λ: P(X > x) = exp(-(x/λ)^k).
    case weibull(shape: Double, scale: Double)
    /// Pareto (type I) with shape α and scale xₘ: P(X > x) = (xₘ/x)^α for x ≥ xₘ.
    case pareto(shape: Double, scale: Double)
    /// Resampling (with replacement) of observed values.
    case empirical(samples: [Double])
    /// `shift + Y` with Y drawn from `base`: a hard floor `shift` (≥ 0, seconds for times)
    /// under an exponential, lognormal, gamma or weibull part. `base` describes the part above
    /// the floor (its mean is the whole mean minus `shift`); `Distribution.shifted(_:shift:mean:cv:)`
    /// builds one from the whole's mean and cv, as the scenario format writes it.
    indirect case shifted(shift: Double, base: Distribution)
}

/// One thing wrong with a distribution's parameters.
public struct DistributionProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter at fault, as named in the scenario format (`mean`, `cv`, `shape`, ...).
    public var parameter: String
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "\(parameter): \(message)" }
}

extension Distribution {
    /// The scenario-format name of the distribution (`exponential`, `lognormal`, ...).
    public var name: String {
        switch self {
        case .deterministic: "deterministic"
        case .exponential: "exponential"
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .normal: "normal"
        case .uniform: "uniform"
        case .weibull: "weibull"
        case .pareto: "pareto"
        case .empirical: "empirical"
        case .shifted(_, let base): base.name
        }
    }

    /// Every problem with the parameters (empty when the distribution can be sampled).
    /// All values must be finite; scale-like parameters must be positive.
    public func validationProblems() -> [DistributionProblem] {
        var problems: [DistributionProblem] = []
        func finite(_ name: String, _ x: Double) -> Bool {
            if x.isFinite { return true }
            problems.append(.init(parameter: name, message: "must be a finite number, got \(x)"))
            return false
        }
        func positive(_ name: String, _ x: Double) {
            if finite(name, x), x <= 0 {
                problems.append(.init(parameter: name, message: "must be greater than 0, got \(x)"))
            }
        }
        func nonNegative(_ name: String, _ x: Double) {
            if finite(name, x), x < 0 {
                problems.append(.init(parameter: name, message: "must not be negative, got \(x)"))
            }
        }
        switch self {
        case .deterministic(let value):
            nonNegative("value", value)
        case .exponential(let mean):
            positive("mean", mean)
        case .lognormal(let mean, let cv), .gamma(let mean, let cv):
            positive("mean", mean)
            positive("cv", cv)
        case .normal(let mean, let sd):
            nonNegative("mean", mean)
            nonNegative("sd", sd)
            if mean.isFinite, sd.isFinite, mean == 0, sd == 0 {
                problems.append(.init(parameter: "sd", message: "mean and sd are both 0: use `deterministic` for a constant"))
            }
        case .uniform(let lo, let hi):
            nonNegative("min", lo)
            nonNegative("max", hi)
            if lo.isFinite, hi.isFinite, hi < lo {
                problems.append(.init(parameter: "max", message: "must be at least min (\(lo)), got \(hi)"))
            }
        case .weibull(let shape, let scale), .pareto(let shape, let scale):
            positive("shape", shape)
            positive("scale", scale)
        case .empirical(let samples):
            if samples.isEmpty {
                problems.append(.init(parameter: "file", message: "has no samples"))
            } else if let bad = samples.first(where: { !$0.isFinite || $0 < 0 }) {
                problems.append(.init(parameter: "file", message: "samples must be finite and not negative, found \(bad)"))
            }
        case .shifted(let shift, let base):
            nonNegative("shift", shift)
            switch base {
            case .exponential, .lognormal, .gamma, .weibull:
                problems += base.validationProblems()
            default:
                problems.append(.init(parameter: "shift", message: "is only for exponential, lognormal, gamma and weibull, not \(base.name)"))
            }
        }
        return problems
    }
}
