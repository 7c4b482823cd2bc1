// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The choice among fitted families, with the reason in words (docs/calibration.md, "Choice").
///
/// Rule: the lowest AIC among the families a scenario can carry (`FitFamily.expressible`: the
/// ranked families, shifted ones included). The reason names its AIC and KS p-value, the
/// families within 2 AIC of it (indistinguishable by AIC, the usual rule of thumb), or else the
/// runner-up, and a KS rejection at the 5 % level (what to do about it is the caller's advice:
/// `Calibration.select`). Within 2 AIC of the lowest, the family with
/// the fewest parameters is chosen (parsimony: a shift that buys less than 2 AIC is noise). Bootstrap p-values are computed for the
/// unshifted families only (a shifted refit is a profile search, too slow to repeat B times). When
/// all samples are equal no continuous family fits and the choice is deterministic.
public struct FitSelection: Sendable {
    /// Every family fitted, in `FitFamily.ranked` order (families that could not be fitted are absent).
    public var candidates: [DistributionFit]
    /// The fit written to the scenario fragment.
    public var chosen: DistributionFit
    /// The next best fit by AIC among all candidates (nil when there is none).
    public var runnerUp: DistributionFit?
    /// Why `chosen` was chosen, in one sentence.
    public var reason: String

    /// How to compute bootstrap KS p-values (`KSBootstrap`) for the families a scenario can carry.
    public struct Bootstrap: Sendable {
        public var replicates: Int
        public var seed: UInt64
        public init(replicates: Int, seed: UInt64) { (self.replicates, self.seed) = (replicates, seed) }
    }

    /// Fits every ranked family that has enough samples, then chooses (by AIC; with `bootstrap`,
    /// the KS p-values in the reason are the bootstrap's).
    /// - Throws: what `DistributionFitter.fit` throws for exponential (too few or bad samples).
    public static func choose(samples: [Double], bootstrap: Bootstrap? = nil) throws(NumericError) -> FitSelection {
        var candidates: [DistributionFit] = []
        for family in FitFamily.ranked where samples.count >= family.minimumSamples {
            do {
                var fit = try DistributionFitter.fit(family, samples: samples)
                if let bootstrap, family.expressible, !family.isShifted {
                    fit.ks.bootstrapPValue = try KSBootstrap.pValue(of: fit, samples: samples, replicates: bootstrap.replicates,
                                                                   seed: bootstrap.seed)
                    fit.ks.bootstrapReplicates = bootstrap.replicates
                }
                candidates.append(fit)
            } catch {
                continue  // e.g. a zero sample for gamma: the family is simply not a candidate
            }
        }
        if candidates.isEmpty {
            if samples.count >= FitFamily.exponential.minimumSamples, let first = samples.first,
               samples.allSatisfy({ $0 == first }) {
                let fit = try DistributionFitter.fit(.deterministic, samples: samples)
                return FitSelection(candidates: [fit], chosen: fit, runnerUp: nil,
                                    reason: "deterministic: all \(samples.count) samples are equal")
            }
            _ = try DistributionFitter.fit(.exponential, samples: samples)  // throws the reason
            throw .invalidArgument(parameter: "samples", message: "no family could be fitted")
        }
        let byAIC = candidates.sorted { $0.aic! < $1.aic! }
        guard let best = byAIC.first(where: { $0.family.expressible }) else {
            throw .invalidArgument(parameter: "samples", message: "no family a scenario can carry could be fitted")
        }
        // Parsimony: within 2 AIC of the lowest (no real evidence either way), the fewest parameters.
        let chosen = byAIC.filter { $0.family.expressible && $0.aic! - best.aic! <= 2 }
            .min { ($0.family.parameterCount!, $0.aic!) < ($1.family.parameterCount!, $1.aic!) }!
        let runnerUp = byAIC.first { $0.family != chosen.family }
        return FitSelection(candidates: candidates, chosen: chosen, runnerUp: runnerUp,
                            reason: reason(chosen: chosen, byAIC: byAIC))
    }

    /// A fit forced by the user: the reason says so, naming how it was asked (`askedWith`, in
    /// the caller's own terms: a command's option, a field), and still reports its KS.
    public static func forced(_ family: FitFamily, samples: [Double], bootstrap: Bootstrap? = nil,
                              askedWith: String) throws(NumericError) -> FitSelection {
        var chosen = try DistributionFitter.fit(family, samples: samples)
        if let bootstrap, family.parameterCount != nil {
            chosen.ks.bootstrapPValue = try KSBootstrap.pValue(of: chosen, samples: samples, replicates: bootstrap.replicates,
                                                              seed: bootstrap.seed)
            chosen.ks.bootstrapReplicates = bootstrap.replicates
        }
        var candidates: [DistributionFit] = []
        for other in FitFamily.ranked where samples.count >= other.minimumSamples {
            if let fit = try? DistributionFitter.fit(other, samples: samples) { candidates.append(fit) }
        }
        if let index = candidates.firstIndex(where: { $0.family == family }) {
            candidates[index] = chosen
        } else {
            candidates.append(chosen)
        }
        let best = candidates.filter { $0.family != family && $0.aic != nil }.min { $0.aic! < $1.aic! }
        var reason = "\(family.rawValue): asked for with \(askedWith); \(ksText(chosen.ks))"
        if let best, let aic = best.aic { reason += "; lowest AIC otherwise: \(best.family.rawValue) (\(fmt(aic)))" }
        return FitSelection(candidates: candidates, chosen: chosen, runnerUp: best, reason: reason)
    }

    static func reason(chosen: DistributionFit, byAIC: [DistributionFit]) -> String {
        let aic = chosen.aic!
        var text: String
        if let lowest = byAIC.first, lowest.family != chosen.family {
            text = "\(chosen.family.rawValue): fewest parameters (\(chosen.family.parameterCount!)) within 2 AIC of the lowest"
                + " (\(lowest.family.rawValue), ΔAIC = \(fmt(aic - lowest.aic!))), AIC \(fmt(aic)), "
        } else {
            text = "\(chosen.family.rawValue): lowest AIC (\(fmt(aic))) among the families a scenario can carry, "
        }
        text += ksText(chosen.ks)
        let close = byAIC.filter { $0.family != chosen.family && $0.family.expressible && $0.aic! - aic <= 2 }
        if !close.isEmpty {
            text += "; " + close.map { "\($0.family.rawValue) within 2 AIC (Δ = \(fmt($0.aic! - aic)))" }.joined(separator: ", ")
        }
        if close.isEmpty, let runnerUp = byAIC.first(where: { $0.family != chosen.family }) {
            text += "; runner-up \(runnerUp.family.rawValue) (ΔAIC = +\(fmt(runnerUp.aic! - aic)))"
        }
        if chosen.ks.bestPValue < 0.05 {
            text += "; KS rejects it at the 5 % level"
        }
        return text
    }

    /// `KS D = 0.02, p = 0.41` (asymptotic), or `KS D = 0.02, bootstrap p = 0.38 (B = 200)`.
    static func ksText(_ ks: KolmogorovSmirnov) -> String {
        if let p = ks.bootstrapPValue, let b = ks.bootstrapReplicates {
            return "KS D = \(fmt(ks.statistic)), bootstrap p = \(fmt(p)) (B = \(b))"
        }
        return "KS D = \(fmt(ks.statistic)), p = \(fmt(ks.pValue))"
    }

    /// `x` to 4 significant digits, without trailing `.0` (no Foundation in NumericCore).
    static func fmt(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "\(x)" }
        let scale = pow(10, 3 - floor(log10(abs(x))))
        let text = "\((x * scale).rounded() / scale)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
