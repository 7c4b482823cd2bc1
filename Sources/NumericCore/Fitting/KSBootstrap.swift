// SPDX-License-Identifier: GPL-3.0-or-later

/// A parametric-bootstrap p-value for the Kolmogorov–Smirnov test of a fitted distribution,
/// which accounts for the parameters having been estimated from the data (docs/calibration.md,
/// "Goodness of fit"):
///
/// B times: draw n values from the fitted distribution, refit the same family to them, and
/// compute their D against their own fit; p = (1 + #{D* ≥ D}) / (B + 1).
///
/// The draws come from the stream `(seed, 0, "ks-bootstrap/<family>")`, so the p-value is a
/// pure function of the samples, B and the seed. The smallest p it can give is 1/(B + 1).
public enum KSBootstrap {
    /// The bootstrap p-value of `fit` (fitted to `samples`) with `replicates` replicates.
    /// - Throws: `NumericError.invalidArgument` for a family that has no scenario distribution
    ///   to draw from (shifted, deterministic, empirical) or fewer than 1 replicate.
    public static func pValue(of fit: DistributionFit, samples: [Double], replicates: Int,
                              seed: UInt64) throws(NumericError) -> Double {
        guard replicates >= 1 else {
            throw .invalidArgument(parameter: "replicates", message: "must be at least 1, got \(replicates)")
        }
        guard !fit.family.isShifted, let distribution = fit.distribution, fit.family.parameterCount != nil,
              let sampler = try? Sampler(distribution) else {
            throw .invalidArgument(parameter: "fit", message: "\(fit.family.rawValue) has no parametric bootstrap here")
        }
        let stream = RandomStream(seed: seed, replication: 0, name: "ks-bootstrap/\(fit.family.rawValue)")
        var atLeast = 0
        for _ in 0..<replicates {
            let draws = (0..<samples.count).map { _ in sampler.sample(stream) }
            // A replicate whose refit fails (e.g. all draws equal) counts as not extreme.
            guard let refit = try? DistributionFitter.fit(fit.family, samples: draws) else { continue }
            if refit.ks.statistic >= fit.ks.statistic { atLeast += 1 }
        }
        return Double(1 + atLeast) / Double(replicates + 1)
    }
}
