// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Reporting
import ScenarioModel

extension CalibrationDocument {
    /// One fitted family: its parameters (named as the family names them, in its order), mean,
    /// fit quality and whether a scenario can carry it.
    public struct Candidate: Encodable {
        public var family: String
        public var parameters: NamedValues
        public var meanSeconds: Double
        public var logLikelihood: Nullable<Double>
        public var aic: Nullable<Double>
        public var ksStatistic: Double
        public var ksPValue: Double
        public var ksBootstrapPValue: Nullable<Double>
        public var ksBootstrapReplicates: Nullable<Int>
        public var expressibleInScenario: Bool

        enum CodingKeys: String, CodingKey {
            case family, parameters, meanSeconds = "mean_s", logLikelihood = "log_likelihood", aic
            case ksStatistic = "ks_statistic", ksPValue = "ks_p_value", ksBootstrapPValue = "ks_bootstrap_p_value"
            case ksBootstrapReplicates = "ks_bootstrap_replicates", expressibleInScenario = "expressible_in_scenario"
        }

        init(_ fit: DistributionFit) {
            family = fit.family.rawValue
            parameters = NamedValues(fit.parameters.map { ($0.name, $0.value) })
            meanSeconds = fit.mean
            logLikelihood = Nullable(fit.logLikelihood)
            aic = Nullable(fit.aic)
            ksStatistic = fit.ks.statistic
            ksPValue = fit.ks.pValue
            ksBootstrapPValue = Nullable(fit.ks.bootstrapPValue)
            ksBootstrapReplicates = Nullable(fit.ks.bootstrapReplicates)
            expressibleInScenario = fit.family.expressible
        }
    }

    /// An object whose keys are data (a family's parameter names), written in the given order.
    public struct NamedValues: Encodable {
        public var members: [(name: String, value: Double)]

        init(_ members: [(name: String, value: Double)]) { self.members = members }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for member in members { try container.encode(member.value, forKey: Key(stringValue: member.name)) }
        }
    }

    /// The data's empirical CDF and the chosen and runner-up fits' CDFs at `plotPoints` x
    /// values evenly spaced from the smallest sample to the 99.9th percentile.
    public struct CDFPlot: Encodable {
        /// Points on the chart's x axis.
        static let plotPoints = 200
        public var xSeconds: [Double]
        public var data: [Double]
        public var chosen: [Double]
        /// Absent without a runner-up.
        public var runnerUp: [Double]?

        enum CodingKeys: String, CodingKey { case xSeconds = "x_s", data, chosen, runnerUp = "runner_up" }

        init(_ samples: [Double], _ selection: FitSelection) {
            let sorted = samples.sorted()
            let top = sorted[min(sorted.count - 1, Int(0.999 * Double(sorted.count)))]
            let low = sorted[0]
            let xs = (0..<Self.plotPoints).map { low + (top - low) * Double($0) / Double(Self.plotPoints - 1) }
            let empirical = try? DistributionFitter.fit(.empirical, samples: sorted)
            xSeconds = xs
            data = xs.map { empirical?.cdf($0) ?? 0 }
            chosen = xs.map { selection.chosen.cdf($0) }
            runnerUp = selection.runnerUp.map { fit in xs.map { fit.cdf($0) } }
        }
    }

    /// Mean service time per load level, the straight line through them and, when the
    /// dependence is significant, the `serviceTimeScaling` a scenario runs with.
    public struct LoadDependenceFit: Encodable {
        public var variable: String
        public var levels: [Level]
        public var interceptSeconds: Nullable<Double>
        public var slopeSecondsPerUnit: Nullable<Double>
        public var slopeStandardError: Nullable<Double>
        public var slopePValue: Nullable<Double>
        public var significant: Bool
        /// Whether the fragment carries it as `serviceTimeScaling` (docs/calibration.md).
        public var usedBySimulator: Bool
        public var serviceTimeScaling: Nullable<ScalingFit>
        public var summary: String

        enum CodingKeys: String, CodingKey {
            case variable, levels, interceptSeconds = "intercept_s", slopeSecondsPerUnit = "slope_s_per_unit"
            case slopeStandardError = "slope_standard_error", slopePValue = "slope_p_value", significant
            case usedBySimulator = "used_by_simulator", serviceTimeScaling = "service_time_scaling", summary
        }

        /// `{by, points: [[x, factor], …]}`.
        public struct ScalingFit: Encodable {
            public var by: String
            public var points: [[Double]]

            init(_ scaling: ServiceTimeScaling) {
                by = scaling.variable.rawValue
                points = scaling.points.map { [$0.x, $0.factor] }
            }
        }

        /// One load level.
        public struct Level: Encodable {
            public var load: Double
            public var count: Int
            public var meanSeconds: Double
            public var standardErrorSeconds: Nullable<Double>

            enum CodingKeys: String, CodingKey {
                case load, count, meanSeconds = "mean_s", standardErrorSeconds = "standard_error_s"
            }
        }

        init(_ load: LoadDependence, scaling: ServiceTimeScaling?) {
            variable = load.variable
            levels = load.levels.map {
                Level(load: $0.load, count: $0.count, meanSeconds: $0.meanSeconds, standardErrorSeconds: Nullable($0.standardError))
            }
            interceptSeconds = Nullable(load.line?.intercept)
            slopeSecondsPerUnit = Nullable(load.line?.slope)
            slopeStandardError = Nullable(load.line?.slopeStandardError)
            slopePValue = Nullable(load.line?.slopePValue)
            significant = load.isSignificant
            usedBySimulator = scaling != nil
            serviceTimeScaling = Nullable(scaling.map(ScalingFit.init))
            summary = load.summary
        }
    }
}
