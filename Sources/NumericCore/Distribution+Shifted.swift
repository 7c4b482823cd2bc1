// SPDX-License-Identifier: GPL-3.0-or-later

extension Distribution {
    /// The families that take a `shift` (a hard floor): those calibration fits shifted.
    public static let shiftableNames = ["exponential", "lognormal", "gamma", "weibull"]

    /// A shifted exponential, lognormal or gamma given as the scenario format writes it: `mean`
    /// and `cv` of the **whole** X = shift + Y (so E[X] = mean, sd(X) = cv·mean). The part Y has
    /// mean m − c and the same sd, so its cv is cv·m/(m − c). Needs mean > shift ≥ 0; returns nil
    /// when mean ≤ shift (the caller reports it) or the family takes no mean and cv. `cv` is
    /// ignored for exponential (its cv is fixed by mean and shift: (m − c)/m).
    public static func shifted(_ family: String, shift: Double, mean: Double, cv: Double) -> Distribution? {
        guard mean > shift else { return nil }
        let partMean = mean - shift
        switch family {
        case "exponential": return .shifted(shift: shift, base: .exponential(mean: partMean))
        case "lognormal": return .shifted(shift: shift, base: .lognormal(mean: partMean, cv: cv * mean / partMean))
        case "gamma": return .shifted(shift: shift, base: .gamma(mean: partMean, cv: cv * mean / partMean))
        default: return nil
        }
    }

    /// The floor of a shifted distribution, 0 otherwise.
    public var shift: Double {
        if case .shifted(let shift, _) = self { return shift }
        return 0
    }

    /// The whole's mean and cv (sd / mean), as the scenario format writes a shifted lognormal
    /// or gamma; nil when the variance is not finite or the mean is 0.
    public var meanAndCV: (mean: Double, cv: Double)? {
        let m = mean, v = variance
        guard m > 0, m.isFinite, v.isFinite else { return nil }
        return (m, v.squareRoot() / m)
    }
}
