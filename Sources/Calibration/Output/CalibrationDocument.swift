// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Reporting

/// `calibration.json`: every candidate's parameters, log-likelihood, AIC and KS; the choice
/// and its reason; load dependence and protocol fits; and the points of the CDF chart
/// (`hybridsim report`). Keys are documented in docs/calibration.md; each is written once, in
/// the `CodingKeys` of this type and its parts (`CalibrationDocument+Parts.swift`), in the
/// file's order. A figure that was not estimated is `null`; `service_time` and
/// `fixed_overhead_s` are absent when they do not apply.
public struct CalibrationDocument: Encodable {
    /// Points on the CDF chart's x axis.
    static let plotPoints = 200

    let source: Source
    let model: String
    let serviceTime: ServiceTime?
    let loadDependence: LoadDependencePart?
    let protocols: [ProtocolPart]
    let fixedOverheadSeconds: Double?

    public init(_ calibration: Calibration) {
        source = Source(file: calibration.request.file, format: calibration.format.rawValue, unit: calibration.unit,
                        samplesUsed: calibration.samplesUsed, failedRequests: calibration.failedRequests)
        model = calibration.request.model
        if let selection = calibration.selection {
            serviceTime = .fitted(FittedServiceTime(calibration, selection))
        } else if let mean = calibration.meanOnlySeconds {
            serviceTime = .meanOnly(seconds: mean)
        } else {
            serviceTime = nil
        }
        loadDependence = calibration.loadDependence.map { LoadDependencePart(load: $0, scaling: calibration.serviceTimeScaling) }
        protocols = calibration.protocols.map { overhead in
            ProtocolPart(overhead: overhead, calls: calibration.overheadCalls.first { $0.callProtocol == overhead.callProtocol },
                         load: calibration.overheadLoadDependence.first { $0.callProtocol == overhead.callProtocol })
        }
        fixedOverheadSeconds = calibration.fixedOverheadSeconds
    }

    /// The document as JSON.
    public static func render(_ calibration: Calibration) throws -> JSONValue {
        try JSONValueEncoder.encode(CalibrationDocument(calibration))
    }

    enum CodingKeys: String, CodingKey {
        case kind, hybridsimVersion = "hybridsim_version", source, model, serviceTime = "service_time"
        case loadDependence = "load_dependence", protocols, fixedOverheadSeconds = "fixed_overhead_s"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("calibration", forKey: .kind)
        try container.encode(HybridsimVersion.string, forKey: .hybridsimVersion)
        try container.encode(source, forKey: .source)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(serviceTime, forKey: .serviceTime)
        try container.encode(loadDependence, forKey: .loadDependence)
        try container.encode(protocols, forKey: .protocols)
        try container.encodeIfPresent(fixedOverheadSeconds, forKey: .fixedOverheadSeconds)
    }

    /// Where the measurements came from.
    struct Source: Encodable {
        let file: String
        let format: String
        let unit: String
        let samplesUsed: String
        let failedRequests: Int

        enum CodingKeys: String, CodingKey {
            case file, format, unit, samplesUsed = "samples_used", failedRequests = "failed_requests"
        }
    }

    /// The service-time model: fitted to samples, or a constant mean (perf_analyzer's
    /// per-level means).
    enum ServiceTime: Encodable {
        case fitted(FittedServiceTime)
        case meanOnly(seconds: Double)

        /// Why a constant: the reason written with `meanOnly`.
        static let meanOnlyReason =
            "perf_analyzer reports per-level means only: the mean compute time at the lowest concurrency, as a constant"

        enum CodingKeys: String, CodingKey {
            case chosen, meanSeconds = "mean_s", reason
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .fitted(let fitted): try fitted.encode(to: encoder)
            case .meanOnly(let seconds):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode("deterministic", forKey: .chosen)
                try container.encode(seconds, forKey: .meanSeconds)
                try container.encode(Self.meanOnlyReason, forKey: .reason)
            }
        }
    }
}
