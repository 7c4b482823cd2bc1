// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// A confidence interval for a probability estimated from independent successes and trials
/// (an accuracy, a fraction of requests meeting a deadline).
///
/// Wilson's score interval: with p̂ = k/n and z = Φ⁻¹((1 + level)/2),
/// centre = (p̂ + z²/2n)/(1 + z²/n), half-width = z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n).
/// Unlike the plain p̂ ± z·√(p̂(1 − p̂)/n) it stays inside [0, 1] and keeps its coverage near
/// 0 and 1, where accuracies live.
public struct ProportionInterval: Sendable, Equatable {
    /// k/n.
    public let estimate: Double
    public let low: Double
    public let high: Double
    public let level: Double
    public let trials: Int

    /// Wilson's interval for `successes` out of `trials` at `level`.
    /// - Throws: `NumericError.invalidArgument` for trials < 1, successes outside 0...trials,
    ///   or a level not strictly between 0 and 1.
    public static func wilson(successes: Int, trials: Int, level: Double) throws -> ProportionInterval {
        guard trials >= 1 else {
            throw NumericError.invalidArgument(parameter: "trials", message: "must be at least 1, got \(trials)")
        }
        guard (0...trials).contains(successes) else {
            throw NumericError.invalidArgument(parameter: "successes", message: "must be in 0...\(trials), got \(successes)")
        }
        guard level > 0, level < 1 else {
            throw NumericError.invalidArgument(parameter: "level", message: "must be strictly between 0 and 1, got \(level)")
        }
        GSLRuntime.ensureReady()
        let n = Double(trials)
        let p = Double(successes) / n
        let z = StandardNormal.quantile((1 + level) / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At k = 0 and k = n the bounds are exactly 0 and 1; rounding must not move them.
        let low = successes == 0 ? 0 : max(0, centre - half)
        let high = successes == trials ? 1 : min(1, centre + half)
        return ProportionInterval(estimate: p, low: low, high: high, level: level, trials: trials)
    }
}
