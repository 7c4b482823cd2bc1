// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// How the mean service time changes with load, from measurements at several loads
/// (offered request rate, or perf_analyzer's concurrency): a straight line through the
/// per-level means, with a test of whether its slope differs from 0 (docs/calibration.md,
/// "Load dependence").
///
/// With per-request samples each level's mean has a standard error sᵢ/√nᵢ and the line is
/// fitted by weighted least squares (weights nᵢ/sᵢ², z-test on the slope); with per-level
/// means only (perf_analyzer) by ordinary least squares (t-test, n − 2 degrees of freedom,
/// at least 3 levels). The dependence is called significant when the slope's two-sided p-value
/// is below 0.05. The simulator cannot use it yet: it is reported, and written into the
/// scenario fragment only as a comment.
public struct LoadDependence: Sendable {
    /// One load level.
    public struct Level: Sendable {
        public var load: Double
        public var count: Int
        public var meanSeconds: Double
        /// Standard error of the mean (nil for perf_analyzer's aggregates).
        public var standardError: Double?
    }

    /// What the load is: `offered_rps` or `concurrency`.
    public var variable: String
    public var levels: [Level]
    /// mean service time (s) = intercept + slope · load; nil when no line can be fitted.
    public var line: LinearFit?

    /// Whether the slope's p-value is below 0.05.
    public var isSignificant: Bool { (line?.slopePValue ?? 1) < 0.05 }

    /// From per-request samples grouped by load; nil with fewer than 2 levels.
    public static func fromSamples(variable: String, groups: [(load: Double, seconds: [Double])]) -> LoadDependence? {
        guard groups.count >= 2 else { return nil }
        let levels = groups.sorted { $0.load < $1.load }.map { group -> Level in
            var w = Welford()
            for x in group.seconds { w.add(x) }
            let se = group.seconds.count > 1 ? (w.variance / Double(group.seconds.count)).squareRoot() : nil
            return Level(load: group.load, count: group.seconds.count, meanSeconds: w.mean, standardError: se)
        }
        var result = LoadDependence(variable: variable, levels: levels, line: nil)
        if levels.allSatisfy({ ($0.standardError ?? 0) > 0 }) {
            result.line = try? LinearFit.weighted(x: levels.map(\.load), y: levels.map(\.meanSeconds),
                                                  standardErrors: levels.map { $0.standardError! })
        }
        return result
    }

    /// From per-level means only; nil with fewer than 2 levels (no line below 3).
    public static func fromMeans(variable: String, points: [(load: Double, meanSeconds: Double)]) -> LoadDependence? {
        guard points.count >= 2 else { return nil }
        let levels = points.sorted { $0.load < $1.load }.map { Level(load: $0.load, count: 1, meanSeconds: $0.meanSeconds, standardError: nil) }
        return LoadDependence(variable: variable, levels: levels,
                              line: try? LinearFit.ordinary(x: levels.map(\.load), y: levels.map(\.meanSeconds)))
    }

    /// One sentence for the terminal, the JSON and the fragment's comment.
    public var summary: String {
        let first = levels.first!, last = levels.last!
        let change = (last.meanSeconds / first.meanSeconds - 1) * 100
        var text = "mean service time \(NumberText.duration(first.meanSeconds)) at \(variable) \(NumberText.number(first.load)), "
            + "\(NumberText.duration(last.meanSeconds)) at \(NumberText.number(last.load)) (\(change >= 0 ? "+" : "")\(NumberText.number(change)) %)"
        if let line {
            text += "; line: \(NumberText.duration(line.intercept)) \(line.slope < 0 ? "−" : "+") \(NumberText.duration(abs(line.slope))) per unit of \(variable)"
                + " (slope SE \(NumberText.duration(line.slopeStandardError)), p \(NumberText.pValue(line.slopePValue)))"
            text += isSignificant ? ": the dependence is significant at the 5 % level" : ": not significant at the 5 % level"
        } else {
            text += "; too few levels to test a line"
        }
        return text
    }
}
