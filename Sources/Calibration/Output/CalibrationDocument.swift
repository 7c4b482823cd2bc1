// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Reporting
import ScenarioModel

/// `calibration.json`: every candidate's parameters, log-likelihood, AIC and KS; the choice
/// and its reason; load dependence and protocol fits; and the points of the CDF chart
/// (`hybridsim report`). Keys are documented in docs/calibration.md.
public enum CalibrationDocument {
    /// Points on the CDF chart's x axis.
    static let plotPoints = 200

    public static func render(_ calibration: Calibration) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string("calibration")),
            ("hybridsim_version", .string(HybridsimVersion.string)),
            ("source", .object([("file", .string(calibration.request.file)), ("format", .string(calibration.format.rawValue)),
                                ("unit", .string(calibration.unit)), ("samples_used", .string(calibration.samplesUsed)),
                                ("failed_requests", .int(Int64(calibration.failedRequests)))])),
            ("model", .string(calibration.request.model)),
        ]
        if let selection = calibration.selection {
            members.append(("service_time", .object([
                ("chosen", .string(selection.chosen.family.rawValue)),
                ("runner_up", selection.runnerUp.map { .string($0.family.rawValue) } ?? .null),
                ("reason", .string(selection.reason)),
                ("ks_p_value_method", .string("ks_p_value: asymptotic Kolmogorov distribution with Stephens' factor (√n + 0.12 + 0.11/√n)·D, "
                    + "conservative (too large) because the parameters are estimated from the same samples; ks_bootstrap_p_value "
                    + "(with --bootstrap): parametric bootstrap, refitting each replicate, seed \(calibration.request.bootstrap.map { String($0.seed) } ?? "-")")),
                ("sample_count", .int(Int64(calibration.samples.count))),
                ("sample_mean_s", .double(calibration.samples.reduce(0, +) / Double(calibration.samples.count))),
                ("candidates", .array(selection.candidates.map(candidate))),
                ("cdf_plot", cdfPlot(calibration.samples, selection)),
            ])))
        } else if let mean = calibration.meanOnlySeconds {
            members.append(("service_time", .object([("chosen", .string("deterministic")), ("mean_s", .double(mean)),
                ("reason", .string("perf_analyzer reports per-level means only: the mean compute time at the lowest concurrency, as a constant"))])))
        }
        members.append(("load_dependence", calibration.loadDependence.map { loadDependence($0, scaling: calibration.serviceTimeScaling) } ?? .null))
        members.append(("protocols", .array(calibration.protocols.map(protocolFit))))
        if let fixed = calibration.fixedOverheadSeconds { members.append(("fixed_overhead_s", .double(fixed))) }
        return .object(members)
    }

    static func candidate(_ fit: DistributionFit) -> JSONValue {
        .object([
            ("family", .string(fit.family.rawValue)),
            ("parameters", .object(fit.parameters.map { ($0.name, .double($0.value)) })),
            ("mean_s", .double(fit.mean)),
            ("log_likelihood", fit.logLikelihood.map(JSONValue.double) ?? .null),
            ("aic", fit.aic.map(JSONValue.double) ?? .null),
            ("ks_statistic", .double(fit.ks.statistic)),
            ("ks_p_value", .double(fit.ks.pValue)),
            ("ks_bootstrap_p_value", fit.ks.bootstrapPValue.map(JSONValue.double) ?? .null),
            ("ks_bootstrap_replicates", fit.ks.bootstrapReplicates.map { .int(Int64($0)) } ?? .null),
            ("expressible_in_scenario", .bool(fit.family.expressible)),
        ])
    }

    /// The data's empirical CDF and the chosen and runner-up fits' CDFs at `plotPoints` x
    /// values evenly spaced from the smallest sample to the 99.9th percentile.
    static func cdfPlot(_ samples: [Double], _ selection: FitSelection) -> JSONValue {
        let sorted = samples.sorted()
        let top = sorted[min(sorted.count - 1, Int(0.999 * Double(sorted.count)))]
        let low = sorted[0]
        let xs = (0..<plotPoints).map { low + (top - low) * Double($0) / Double(plotPoints - 1) }
        let data = try? DistributionFitter.fit(.empirical, samples: sorted)
        var members: [(String, JSONValue)] = [
            ("x_s", .array(xs.map(JSONValue.double))),
            ("data", .array(xs.map { .double(data?.cdf($0) ?? 0) })),
            ("chosen", .array(xs.map { .double(selection.chosen.cdf($0)) })),
        ]
        if let runnerUp = selection.runnerUp {
            members.append(("runner_up", .array(xs.map { .double(runnerUp.cdf($0)) })))
        }
        return .object(members)
    }

    static func loadDependence(_ load: LoadDependence, scaling: ServiceTimeScaling?) -> JSONValue {
        .object([
            ("variable", .string(load.variable)),
            ("levels", .array(load.levels.map { level in
                .object([("load", .double(level.load)), ("count", .int(Int64(level.count))), ("mean_s", .double(level.meanSeconds)),
                         ("standard_error_s", level.standardError.map(JSONValue.double) ?? .null)])
            })),
            ("intercept_s", load.line.map { .double($0.intercept) } ?? .null),
            ("slope_s_per_unit", load.line.map { .double($0.slope) } ?? .null),
            ("slope_standard_error", load.line.map { .double($0.slopeStandardError) } ?? .null),
            ("slope_p_value", load.line.map { .double($0.slopePValue) } ?? .null),
            ("significant", .bool(load.isSignificant)),
            ("used_by_simulator", .bool(scaling != nil)),
            ("service_time_scaling", scaling.map(serviceTimeScaling) ?? .null),
            ("summary", .string(load.summary)),
        ])
    }

    /// `{by, points: [[x, factor], …]}`.
    static func serviceTimeScaling(_ scaling: ServiceTimeScaling) -> JSONValue {
        let points: [JSONValue] = scaling.points.map { point in .array([.double(point.x), .double(point.factor)]) }
        return .object([("by", .string(scaling.variable.rawValue)), ("points", .array(points))])
    }

    static func protocolFit(_ overhead: ProtocolOverhead) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("protocol", .string(overhead.callProtocol)), ("offered_rps", .double(overhead.offeredRPS)),
            ("count", .int(Int64(overhead.count))), ("mean_overhead_s", .double(overhead.meanSeconds)),
            ("fixed_s", overhead.line.map { .double($0.intercept) } ?? .null),
            ("fixed_standard_error_s", overhead.line.map { .double($0.interceptStandardError) } ?? .null),
            ("per_byte_s", overhead.line.map { .double($0.slope) } ?? .null),
            ("per_byte_standard_error_s", overhead.line.map { .double($0.slopeStandardError) } ?? .null),
            ("per_byte_p_value", overhead.line.map { .double($0.slopePValue) } ?? .null),
        ]
        members.append(("call_overhead", .object([
            ("fitted_to", .string(overhead.usesLine ? "fixed_part" : "overhead")),
            ("chosen", .string(overhead.callOverhead.chosen.family.rawValue)),
            ("mean_s", .double(overhead.callOverhead.chosen.mean)),
            ("reason", .string(overhead.callOverhead.reason)),
        ])))
        members.append(("scenario_keys", .object([
            ("callOverhead", .string(ScenarioFragment.distribution(overhead.callOverhead.chosen.distribution!))),
            ("requestOverhead_bytes", .double(0)), ("responseOverhead_bytes", .double(0)), ("payloadInflation", .double(1)),
            ("codecThroughput_bps", overhead.codecBitsPerSecond.map(JSONValue.double) ?? .string("unlimited")),
        ] + (overhead.serverWork.map { [("serverWork", JSONValue.string(ScenarioFragment.distribution($0.chosen.distribution!)))] } ?? []))))
        if let server = overhead.serverWork {
            members.append(("server_work", .object([
                ("fitted_to", .string("handler_start - server_receive")), ("chosen", .string(server.chosen.family.rawValue)),
                ("mean_s", .double(server.chosen.mean)), ("reason", .string(server.reason)),
            ])))
        }
        members.append(("summary", .string(overhead.summary)))
        return .object(members)
    }
}
