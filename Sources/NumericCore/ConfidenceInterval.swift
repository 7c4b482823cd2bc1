// SPDX-License-Identifier: GPL-3.0-or-later

/// A two-sided confidence interval for a mean: [low, high] = mean ∓ halfWidth.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The point estimate (sample mean).
    public let mean: Double
    /// mean − halfWidth.
    public let low: Double
    /// mean + halfWidth.
    public let high: Double
    /// Half the interval's width.
    public let halfWidth: Double
    /// Confidence level in (0, 1), e.g. 0.95.
    public let level: Double
    /// Number of observations (e.g. replications) behind it.
    public let count: Int

    /// An interval mean ± halfWidth (for results read back from storage).
    public init(mean: Double, halfWidth: Double, level: Double, count: Int) {
        self.mean = mean
        self.halfWidth = halfWidth
        self.low = mean - halfWidth
        self.high = mean + halfWidth
        self.level = level
        self.count = count
    }

    /// The Student-t interval for the mean of i.i.d. `values` (e.g. one value per
    /// replication): x̄ ± t₍₁₊level₎/₂,ₙ₋₁ · s/√n, with s the sample standard deviation.
    /// - Throws: `NumericError.invalidArgument` when there are fewer than 2 values, a value is
    ///   not finite, or `level` is not strictly between 0 and 1.
    public static func forMean(of values: [Double], level: Double) throws -> ConfidenceInterval {
        guard level > 0, level < 1 else {
            throw NumericError.invalidArgument(parameter: "level", message: "must be strictly between 0 and 1, got \(level)")
        }
        guard values.count >= 2 else {
            throw NumericError.invalidArgument(parameter: "values", message: "need at least 2 values, got \(values.count)")
        }
        if let bad = values.first(where: { !$0.isFinite }) {
            throw NumericError.invalidArgument(parameter: "values", message: "must be finite, found \(bad)")
        }
        var w = Welford()
        for x in values { w.add(x) }
        let n = Double(w.count)
        let t = StudentT.quantile((1 + level) / 2, degreesOfFreedom: n - 1)
        return ConfidenceInterval(mean: w.mean, halfWidth: t * w.standardDeviation / n.squareRoot(),
                                  level: level, count: w.count)
    }

    /// Whether `x` lies in [low, high].
    public func contains(_ x: Double) -> Bool { low <= x && x <= high }
}
