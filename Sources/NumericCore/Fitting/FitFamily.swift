// SPDX-License-Identifier: GPL-3.0-or-later

/// A family of distributions that `DistributionFitter` can fit to samples of a non-negative
/// quantity (docs/calibration.md, "Families").
///
/// The shifted variants add a location c (the smallest possible value): X = c + Y with Y of the
/// unshifted family; a scenario writes them with `shift:` (docs/scenario-format.md).
public enum FitFamily: String, Sendable, CaseIterable, Equatable {
    case exponential, gamma, lognormal, weibull
    case shiftedExponential = "shifted-exponential"
    case shiftedGamma = "shifted-gamma"
    case shiftedLognormal = "shifted-lognormal"
    case shiftedWeibull = "shifted-weibull"
    case deterministic, empirical

    /// The fewest samples accepted for the family. A rule of thumb, not a theorem: one location
    /// or scale parameter needs few samples, a shape parameter about twenty before its
    /// estimate stops swinging, a location below the minimum more again (the minimum itself is
    /// a noisy statistic); an empirical distribution replays its samples, so it needs enough of
    /// them to have a tail at all.
    public var minimumSamples: Int {
        switch self {
        case .deterministic: 1
        case .exponential: 10
        case .gamma, .lognormal, .weibull: 20
        case .shiftedExponential: 20
        case .shiftedGamma, .shiftedLognormal, .shiftedWeibull: 30
        case .empirical: 30
        }
    }

    /// Free parameters estimated from the data (k in AIC = 2k − 2 ln L); nil for the families
    /// without a likelihood to compare (deterministic, empirical).
    public var parameterCount: Int? {
        switch self {
        case .exponential: 1
        case .gamma, .lognormal, .weibull, .shiftedExponential: 2
        case .shiftedGamma, .shiftedLognormal, .shiftedWeibull: 3
        case .deterministic, .empirical: nil
        }
    }

    /// The unshifted family underneath a shifted one (itself otherwise).
    public var base: FitFamily {
        switch self {
        case .shiftedExponential: .exponential
        case .shiftedGamma: .gamma
        case .shiftedLognormal: .lognormal
        case .shiftedWeibull: .weibull
        default: self
        }
    }

    /// Whether the family has a location parameter below the sample minimum.
    public var isShifted: Bool { base != self }

    /// Whether a scenario's `serviceTime` can be written in this family (every family can since
    /// time distributions take `shift:`).
    public var expressible: Bool { true }

    /// The parametric families compared by AIC, in the order reports list them.
    public static let ranked: [FitFamily] = [.exponential, .gamma, .lognormal, .weibull,
                                             .shiftedExponential, .shiftedGamma, .shiftedLognormal, .shiftedWeibull]
}
