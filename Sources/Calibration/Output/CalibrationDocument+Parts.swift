// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

extension CalibrationDocument {
    /// The fitted service time: the choice and its reason, every candidate, the CDF chart.
    struct FittedServiceTime: Encodable {
        let chosen: String
        let runnerUp: String?
        let reason: String
        let ksPValueMethod: String
        let sampleCount: Int
        let sampleMeanSeconds: Double
        let candidates: [Candidate]
        let cdfPlot: CDFPlot

        init(_ calibration: Calibration, _ selection: FitSelection) {
            chosen = selection.chosen.family.rawValue
            runnerUp = selection.runnerUp?.family.rawValue
            reason = selection.reason
            ksPValueMethod = "ks_p_value: asymptotic Kolmogorov distribution with Stephens' factor (√n + 0.12 + 0.11/√n)·D, "
                + "conservative (too large) because the parameters are estimated from the same samples; ks_bootstrap_p_value "
                + "(with --bootstrap): parametric bootstrap, refitting each replicate, seed \(calibration.request.bootstrap.map { String($0.seed) } ?? "-")"
            sampleCount = calibration.samples.count
            sampleMeanSeconds = calibration.samples.reduce(0, +) / Double(calibration.samples.count)
            candidates = selection.candidates.map(Candidate.init)
            cdfPlot = CDFPlot(calibration.samples, selection)
        }

        enum CodingKeys: String, CodingKey {
            case chosen, runnerUp = "runner_up", reason, ksPValueMethod = "ks_p_value_method", sampleCount = "sample_count"
            case sampleMeanSeconds = "sample_mean_s", candidates, cdfPlot = "cdf_plot"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(chosen, forKey: .chosen)
            try container.encode(runnerUp, forKey: .runnerUp)
            try container.encode(reason, forKey: .reason)
            try container.encode(ksPValueMethod, forKey: .ksPValueMethod)
            try container.encode(sampleCount, forKey: .sampleCount)
            try container.encode(sampleMeanSeconds, forKey: .sampleMeanSeconds)
            try container.encode(candidates, forKey: .candidates)
            try container.encode(cdfPlot, forKey: .cdfPlot)
        }
    }

    /// One fitted family: its parameters (named as the family names them) and goodness of fit.
    struct Candidate: Encodable {
        let fit: DistributionFit

        enum CodingKeys: String, CodingKey {
            case family, parameters, meanSeconds = "mean_s", logLikelihood = "log_likelihood", aic
            case ksStatistic = "ks_statistic", ksPValue = "ks_p_value", ksBootstrapPValue = "ks_bootstrap_p_value"
            case ksBootstrapReplicates = "ks_bootstrap_replicates", expressibleInScenario = "expressible_in_scenario"
        }

        /// A parameter's name as a key.
        struct ParameterName: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { return nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fit.family.rawValue, forKey: .family)
            var parameters = container.nestedContainer(keyedBy: ParameterName.self, forKey: .parameters)
            for parameter in fit.parameters { try parameters.encode(parameter.value, forKey: ParameterName(stringValue: parameter.name)) }
            try container.encode(fit.mean, forKey: .meanSeconds)
            try container.encode(fit.logLikelihood, forKey: .logLikelihood)
            try container.encode(fit.aic, forKey: .aic)
            try container.encode(fit.ks.statistic, forKey: .ksStatistic)
            try container.encode(fit.ks.pValue, forKey: .ksPValue)
            try container.encode(fit.ks.bootstrapPValue, forKey: .ksBootstrapPValue)
            try container.encode(fit.ks.bootstrapReplicates, forKey: .ksBootstrapReplicates)
            try container.encode(fit.family.expressible, forKey: .expressibleInScenario)
        }
    }

    /// The data's empirical CDF and the chosen and runner-up fits' CDFs at `plotPoints` x
    /// values evenly spaced from the smallest sample to the 99.9th percentile.
    struct CDFPlot: Encodable {
        let xs: [Double]
        let data: [Double]
        let chosen: [Double]
        let runnerUp: [Double]?

        init(_ samples: [Double], _ selection: FitSelection) {
            let sorted = samples.sorted()
            let top = sorted[min(sorted.count - 1, Int(0.999 * Double(sorted.count)))]
            let low = sorted[0]
            let points = CalibrationDocument.plotPoints
            let xs = (0..<points).map { low + (top - low) * Double($0) / Double(points - 1) }
            let empirical = try? DistributionFitter.fit(.empirical, samples: sorted)
            self.xs = xs
            data = xs.map { empirical?.cdf($0) ?? 0 }
            chosen = xs.map { selection.chosen.cdf($0) }
            runnerUp = selection.runnerUp.map { fit in xs.map { fit.cdf($0) } }
        }

        enum CodingKeys: String, CodingKey {
            case xs = "x_s", data, chosen, runnerUp = "runner_up"
        }
    }

    /// Load dependence of the service time and its straight-line fit (not used by the simulator).
    struct LoadDependencePart: Encodable {
        let load: LoadDependence
        /// What calibrate wrote as `serviceTimeScaling` (nil: not written).
        let scaling: ServiceTimeScaling?

        enum CodingKeys: String, CodingKey {
            case variable, levels, interceptSeconds = "intercept_s", slopeSecondsPerUnit = "slope_s_per_unit"
            case slopeStandardError = "slope_standard_error", slopePValue = "slope_p_value", significant
            case usedBySimulator = "used_by_simulator", serviceTimeScaling = "service_time_scaling", summary
        }

        enum ScalingKeys: String, CodingKey { case by, points }

        enum LevelKeys: String, CodingKey {
            case load, count, meanSeconds = "mean_s", standardErrorSeconds = "standard_error_s"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(load.variable, forKey: .variable)
            var levels = container.nestedUnkeyedContainer(forKey: .levels)
            for level in load.levels {
                var item = levels.nestedContainer(keyedBy: LevelKeys.self)
                try item.encode(level.load, forKey: .load)
                try item.encode(level.count, forKey: .count)
                try item.encode(level.meanSeconds, forKey: .meanSeconds)
                try item.encode(level.standardError, forKey: .standardErrorSeconds)
            }
            try container.encode(load.line?.intercept, forKey: .interceptSeconds)
            try container.encode(load.line?.slope, forKey: .slopeSecondsPerUnit)
            try container.encode(load.line?.slopeStandardError, forKey: .slopeStandardError)
            try container.encode(load.line?.slopePValue, forKey: .slopePValue)
            try container.encode(load.isSignificant, forKey: .significant)
            try container.encode(scaling != nil, forKey: .usedBySimulator)
            if let scaling {  // `{by, points: [[x, factor], …]}`
                var part = container.nestedContainer(keyedBy: ScalingKeys.self, forKey: .serviceTimeScaling)
                try part.encode(scaling.variable.rawValue, forKey: .by)
                try part.encode(scaling.points.map { [$0.x, $0.factor] }, forKey: .points)
            } else {
                try container.encodeNil(forKey: .serviceTimeScaling)
            }
            try container.encode(load.summary, forKey: .summary)
        }
    }

    /// One protocol's overhead fit, its call-overhead distribution and the scenario keys it gives.
    struct ProtocolPart: Encodable {
        let overhead: ProtocolOverhead
        /// The calls the overhead was fitted on (testbed records).
        let calls: OverheadCalls?
        /// The overhead by load level (`--overhead-load-dependence`; nil without it).
        let load: OverheadLoadDependence?

        enum CodingKeys: String, CodingKey {
            case callProtocol = "protocol", offeredRPS = "offered_rps", count, overheadCalls = "overhead_calls"
            case meanOverheadSeconds = "mean_overhead_s"
            case fixedSeconds = "fixed_s", fixedStandardErrorSeconds = "fixed_standard_error_s", perByteSeconds = "per_byte_s"
            case perByteStandardErrorSeconds = "per_byte_standard_error_s", perBytePValue = "per_byte_p_value"
            case callOverhead = "call_overhead", scenarioKeys = "scenario_keys", serverWork = "server_work", summary
            case overheadLoadDependence = "overhead_load_dependence"
        }

        enum CallOverheadKeys: String, CodingKey {
            case fittedTo = "fitted_to", chosen, meanSeconds = "mean_s", reason, samplesFile = "samples_file"
        }

        enum OverheadCallsKeys: String, CodingKey {
            case selection, levelCount = "level_count", usedCount = "used_count", criterion
        }

        enum ScenarioKeys: String, CodingKey {
            case callOverhead, requestOverheadBytes = "requestOverhead_bytes", responseOverheadBytes = "responseOverhead_bytes"
            case payloadInflation, codecThroughputBitsPerSecond = "codecThroughput_bps", serverWork
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(overhead.callProtocol, forKey: .callProtocol)
            try container.encode(overhead.offeredRPS, forKey: .offeredRPS)
            try container.encode(overhead.count, forKey: .count)
            if let calls {
                var part = container.nestedContainer(keyedBy: OverheadCallsKeys.self, forKey: .overheadCalls)
                try part.encode(calls.selection.rawValue, forKey: .selection)
                try part.encode(calls.levelCount, forKey: .levelCount)
                try part.encode(calls.used.count, forKey: .usedCount)
                try part.encode(calls.selection == .idleFound ? IdleFoundCalls.criterion : nil, forKey: .criterion)
            }
            try container.encode(overhead.meanSeconds, forKey: .meanOverheadSeconds)
            try container.encode(overhead.line?.intercept, forKey: .fixedSeconds)
            try container.encode(overhead.line?.interceptStandardError, forKey: .fixedStandardErrorSeconds)
            try container.encode(overhead.line?.slope, forKey: .perByteSeconds)
            try container.encode(overhead.line?.slopeStandardError, forKey: .perByteStandardErrorSeconds)
            try container.encode(overhead.line?.slopePValue, forKey: .perBytePValue)
            var call = container.nestedContainer(keyedBy: CallOverheadKeys.self, forKey: .callOverhead)
            try call.encode(overhead.usesLine ? "fixed_part" : "overhead", forKey: .fittedTo)
            try call.encode(overhead.callOverhead.chosen.family.rawValue, forKey: .chosen)
            try call.encode(overhead.callOverhead.chosen.mean, forKey: .meanSeconds)
            try call.encode(overhead.callOverhead.reason, forKey: .reason)
            if overhead.callOverhead.chosen.family == .empirical {  // `--overhead-family empirical`
                try call.encode(overhead.callOverheadSamplesFile, forKey: .samplesFile)
            }
            var keys = container.nestedContainer(keyedBy: ScenarioKeys.self, forKey: .scenarioKeys)
            try keys.encode(ScenarioFragment.distribution(overhead.callOverhead.chosen.distribution!, samplesFile: overhead.callOverheadSamplesFile),
                            forKey: .callOverhead)
            try keys.encode(0.0, forKey: .requestOverheadBytes)
            try keys.encode(0.0, forKey: .responseOverheadBytes)
            try keys.encode(1.0, forKey: .payloadInflation)
            if let codec = overhead.codecBitsPerSecond {
                try keys.encode(codec, forKey: .codecThroughputBitsPerSecond)
            } else {
                try keys.encode("unlimited", forKey: .codecThroughputBitsPerSecond)
            }
            if let server = overhead.serverWork {  // `calibrate --server-work`
                try keys.encode(ScenarioFragment.distribution(server.chosen.distribution!, samplesFile: overhead.serverWorkSamplesFile),
                                forKey: .serverWork)
                try container.encode(ServerWorkPart(overhead: overhead, fit: server), forKey: .serverWork)
            }
            try container.encode(overhead.summary, forKey: .summary)
            if let load { try container.encode(OverheadLoadPart(load: load), forKey: .overheadLoadDependence) }
        }
    }

    /// How `serverWork` was measured and fitted; with busy gaps, every level's gaps.
    struct ServerWorkPart: Encodable {
        let overhead: ProtocolOverhead
        let fit: FitSelection

        enum CodingKeys: String, CodingKey {
            case estimator, fittedTo = "fitted_to", chosen, meanSeconds = "mean_s", reason, samplesFile = "samples_file"
            case takenOutOfOverhead = "taken_out_of_overhead", fittedOfferedRPS = "fitted_offered_rps", levels
            case loadDependence = "load_dependence"
        }

        enum LevelKeys: String, CodingKey {
            case offeredRPS = "offered_rps", calls, idleCalls = "idle_calls", transferBoundSeconds = "transfer_bound_s"
            case gaps, meanSeconds = "mean_s", medianSeconds = "median_s"
        }

        enum DependenceKeys: String, CodingKey {
            case slopeSecondsPerUnit = "slope_s_per_unit", slopePValue = "slope_p_value", significant, summary
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            let gaps = overhead.busyGaps
            try container.encode(overhead.serverWorkEstimator?.rawValue, forKey: .estimator)
            try container.encode(gaps == nil ? "handler_start - server_receive"
                                     : "busy gaps: next handler_start - previous handler_end, next call waiting", forKey: .fittedTo)
            try container.encode(fit.chosen.family.rawValue, forKey: .chosen)
            try container.encode(fit.chosen.mean, forKey: .meanSeconds)
            try container.encode(fit.reason, forKey: .reason)
            if fit.chosen.family == .empirical { try container.encode(overhead.serverWorkSamplesFile, forKey: .samplesFile) }
            try container.encode(gaps == nil ? "each call's own" : "the fit's mean, from every call", forKey: .takenOutOfOverhead)
            guard let gaps else { return }
            try container.encode(gaps.fitted.offeredRPS, forKey: .fittedOfferedRPS)
            var levels = container.nestedUnkeyedContainer(forKey: .levels)
            for level in gaps.levels {
                var item = levels.nestedContainer(keyedBy: LevelKeys.self)
                try item.encode(level.offeredRPS, forKey: .offeredRPS)
                try item.encode(level.calls, forKey: .calls)
                try item.encode(level.idleCalls, forKey: .idleCalls)
                try item.encode(level.transferBoundSeconds, forKey: .transferBoundSeconds)
                try item.encode(level.gapSeconds.count, forKey: .gaps)
                try item.encode(level.meanSeconds, forKey: .meanSeconds)
                try item.encode(level.medianSeconds, forKey: .medianSeconds)
            }
            var dependence = container.nestedContainer(keyedBy: DependenceKeys.self, forKey: .loadDependence)
            try dependence.encode(gaps.dependence?.line?.slope, forKey: .slopeSecondsPerUnit)
            try dependence.encode(gaps.dependence?.line?.slopePValue, forKey: .slopePValue)
            try dependence.encode(gaps.dependence?.isSignificant ?? false, forKey: .significant)
            try dependence.encode(gaps.dependenceText, forKey: .summary)
        }
    }
}
