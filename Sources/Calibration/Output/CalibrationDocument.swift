// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Reporting
import ScenarioModel

/// `calibration.json`: every candidate's parameters, log-likelihood, AIC and KS; the choice
/// and its reason; load dependence and protocol fits; and the points of the CDF chart
/// (`hybridsim report`). Keys are documented in docs/calibration.md; each is written once,
/// here and in `CalibrationDocument+Fits.swift` and `+Protocols.swift`, in the order of its
/// `CodingKeys`. Figures that do not apply are written as `null` (`Nullable`); `service_time`
/// and `fixed_overhead_s` are left out when the input gives neither.
public struct CalibrationDocument: Encodable {
    public var kind = "calibration"
    public var hybridsimVersion: String
    public var source: Source
    public var model: String
    public var serviceTime: ServiceTime?
    public var loadDependence: Nullable<LoadDependenceFit>
    public var protocols: [ProtocolFit]
    public var fixedOverheadSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case kind, hybridsimVersion = "hybridsim_version", source, model, serviceTime = "service_time"
        case loadDependence = "load_dependence", protocols, fixedOverheadSeconds = "fixed_overhead_s"
    }

    /// What was read.
    public struct Source: Encodable {
        public var file: String
        public var format: String
        public var unit: String
        public var samplesUsed: String
        public var failedRequests: Int

        enum CodingKeys: String, CodingKey {
            case file, format, unit, samplesUsed = "samples_used", failedRequests = "failed_requests"
        }
    }

    /// The service-time choice: fitted to samples, or a perf_analyzer mean as a constant.
    public enum ServiceTime: Encodable {
        case fitted(FittedServiceTime)
        case meanOnly(MeanOnlyServiceTime)

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .fitted(let fitted): try fitted.encode(to: encoder)
            case .meanOnly(let mean): try mean.encode(to: encoder)
            }
        }
    }

    /// The families fitted to the samples, the choice and the CDF chart's points.
    public struct FittedServiceTime: Encodable {
        public var chosen: String
        public var runnerUp: Nullable<String>
        public var reason: String
        public var ksPValueMethod: String
        public var sampleCount: Int
        public var sampleMeanSeconds: Double
        public var candidates: [Candidate]
        public var cdfPlot: CDFPlot

        enum CodingKeys: String, CodingKey {
            case chosen, runnerUp = "runner_up", reason, ksPValueMethod = "ks_p_value_method", sampleCount = "sample_count"
            case sampleMeanSeconds = "sample_mean_s", candidates, cdfPlot = "cdf_plot"
        }
    }

    /// perf_analyzer's mean compute time at the lowest concurrency, used as a constant.
    public struct MeanOnlyServiceTime: Encodable {
        public var chosen = "deterministic"
        public var meanSeconds: Double
        public var reason = "perf_analyzer reports per-level means only: the mean compute time at the lowest concurrency, as a constant"

        enum CodingKeys: String, CodingKey { case chosen, meanSeconds = "mean_s", reason }
    }

    public init(_ calibration: Calibration) {
        hybridsimVersion = HybridsimVersion.string
        source = Source(file: calibration.request.file, format: calibration.format.rawValue, unit: calibration.unit,
                        samplesUsed: calibration.samplesUsed, failedRequests: calibration.failedRequests)
        model = calibration.request.model
        if let selection = calibration.selection {
            let seed = calibration.request.bootstrap.map { String($0.seed) } ?? "-"
            serviceTime = .fitted(FittedServiceTime(
                chosen: selection.chosen.family.rawValue, runnerUp: Nullable(selection.runnerUp?.family.rawValue),
                reason: selection.reason,
                ksPValueMethod: "ks_p_value: asymptotic Kolmogorov distribution with Stephens' factor (√n + 0.12 + 0.11/√n)·D, "
                    + "conservative (too large) because the parameters are estimated from the same samples; ks_bootstrap_p_value "
                    + "(with --bootstrap): parametric bootstrap, refitting each replicate, seed \(seed)",
                sampleCount: calibration.samples.count,
                sampleMeanSeconds: calibration.samples.reduce(0, +) / Double(calibration.samples.count),
                candidates: selection.candidates.map(Candidate.init), cdfPlot: CDFPlot(calibration.samples, selection)))
        } else if let mean = calibration.meanOnlySeconds {
            serviceTime = .meanOnly(MeanOnlyServiceTime(meanSeconds: mean))
        }
        loadDependence = Nullable(calibration.loadDependence.map { LoadDependenceFit($0, scaling: calibration.serviceTimeScaling) })
        protocols = calibration.protocols.map(ProtocolFit.init)
        fixedOverheadSeconds = calibration.fixedOverheadSeconds
    }

    /// The document of `calibration` as a JSON value (`rendered()` gives the file's text).
    public static func render(_ calibration: Calibration) -> JSONValue {
        do { return try JSONValueEncoder.encode(CalibrationDocument(calibration)) } catch {
            preconditionFailure("calibration not encodable: \(error)")
        }
    }
}
