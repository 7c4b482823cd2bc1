// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Scenarios

/// The client-side overhead of one protocol's calls, from the low-load overheads O = (client
/// time − handler time) of each call (docs/calibration.md, "Protocol overhead"):
/// - the line O = fixed + perByte · bytes (request + response), by least squares;
/// - `callOverhead`, the distribution of the per-call fixed time, fitted like service times
///   (`FitSelection.choose`): to O − perByte · bytes when the line is identifiable (a positive
///   fixed part and a significant positive per-byte slope, p < 0.05, with every such
///   difference positive), else to O itself.
///
/// With `serverWork` (calibrate `--server-work`), the server's own work per call is fitted as
/// `serverWork` (work on the server's worker) and taken out of O first, so that it is not
/// counted twice:
/// - `receipt`: each call's pre-handler time S = handler_start − server_receive; O becomes
///   (client time − handler time) − S, call by call;
/// - `busy-gaps` (`BusyGaps`): the gap between handlers in a one-executor server's busy
///   periods, which holds one call's response write and the next call's read. An unqueued
///   call's O holds its own read and its own write, i.e. one gap's worth of work, so O
///   becomes O − x̄, x̄ the fitted serverWork's mean (a constant: the gaps are not per call).
///   Then mean callOverhead + mean serverWork = the measured mean O at the overhead's level.
///   A call whose O is not above x̄ is a located error, never clamped.
///
/// Scenario keys (docs/cost-models.md, "Protocols"): the measured wire sizes are the payloads,
/// so `payloadInflation: 1` and no overhead bytes; `callOverhead` the fit; `codecThroughput`
/// 8/perByte bits per second when the line is used, else `unlimited` (O holds the codec time).
public struct ProtocolOverhead: Sendable {
    /// The protocol as the testbed names it (`rest`, `grpc`).
    public var callProtocol: String
    /// The load level the fit used (the lowest measured), requests per second.
    public var offeredRPS: Double
    public var count: Int
    /// Mean overhead per call at that level, seconds.
    public var meanSeconds: Double
    /// The line, when the calls moved different numbers of bytes (at least 3 calls).
    public var line: LinearFit?

    /// The fit of the per-call fixed time (`callOverhead`).
    public var callOverhead: FitSelection
    /// Whether `callOverhead` is the fixed part of the line (O − perByte · bytes) rather than
    /// O itself; then the per-byte part is written as codec time.
    public var usesLine: Bool
    /// The fit of the server's own work per call (`serverWork`), with `--server-work` only.
    public var serverWork: FitSelection?
    /// Prepended to the samples files' names: `rest-` etc. when the calibration has several
    /// protocols, else empty.
    public var samplesFilePrefix = ""
    /// How `serverWork` was measured (nil without it).
    public var serverWorkEstimator: Calibration.ServerWorkEstimator?
    /// With `busy-gaps`: every level's gaps (the highest level's are fitted).
    public var busyGaps: BusyGaps?

    /// codecThroughput in bits per second when the line is used (nil: `unlimited`).
    public var codecBitsPerSecond: Double? {
        guard usesLine, let line else { return nil }
        return 8 / line.slope
    }

    /// Whether `line` separates a fixed part from a per-byte part (see the type's comment).
    static func isIdentifiable(_ line: LinearFit?) -> Bool {
        guard let line else { return false }
        return line.slope > 0 && line.intercept > 0 && line.slopePValue < 0.05
    }

    /// Fits each protocol's records at its lowest offered load. `busyGapRecords`: every call of
    /// every level (the busy gaps need the calls that waited, which an overhead selection such as
    /// `IdleFoundCalls` leaves out; nil: `records`). `select` fits a distribution to samples the
    /// way service times are fitted (`Calibration.select`), given each sample's call (its
    /// handler_start_ns cell; nil when the samples are not one call's each); `header` locates
    /// problems with the records as a whole. With several protocols, each one's samples files
    /// are named after it (`samplesFilePrefix`).
    static func fit(_ records: [TestbedRecords.Record], busyGapRecords: [TestbedRecords.Record]? = nil,
                    serverWork: Calibration.ServerWorkEstimator? = nil, header: SourceLocation,
                    select: ([Double], String, [SourceLocation]?) throws(CalibrationFailure) -> FitSelection) throws(CalibrationFailure) -> [ProtocolOverhead] {
        let protocols = Array(Set(records.map(\.callProtocol))).sorted()
        var fits: [ProtocolOverhead] = []
        for name in protocols {
            let own = records.filter { $0.callProtocol == name }
            let lowest = own.map(\.offeredRPS).min()!
            let level = own.filter { $0.offeredRPS == lowest }
            let at = "offered_rps \(NumberText.number(lowest))"
            var serverFit: FitSelection?
            var gaps: BusyGaps?
            var y = level.map(\.overheadSeconds)
            switch serverWork {
            case nil: break
            case .receipt:
                let server = level.map { $0.serverSeconds ?? 0 }
                serverFit = try select(server, "the `\(name)` server pre-handler times at \(at)", level.map(\.handlerStartLocation))
                y = level.map { lessServerWork($0, estimator: .receipt, gapMean: 0) }
            case .busyGaps:
                let measured = try BusyGaps.measure((busyGapRecords ?? records).filter { $0.callProtocol == name }, header: header)
                let top = measured.fitted
                let needed = FitFamily.exponential.minimumSamples
                guard top.gapSeconds.count >= needed else {
                    let noIdle = top.transferBoundSeconds == nil
                    throw .at(header, "too few busy gaps: \(top.gapSeconds.count) at offered_rps \(NumberText.number(top.offeredRPS)) (the highest level), fitting needs at least \(needed)"
                                  + (noIdle ? "; no call there found the server idle, so the transfer bound is unknown" : ""),
                              hint: noIdle ? "the highest level is saturated: calibrate from levels below saturation, or use --server-work-from receipt"
                                  : "a busy gap is a call that was already waiting when the previous handler ended: measure at a higher load (u ≥ 0.3), or use --server-work-from receipt")
                }
                let fit = try select(top.gapSeconds, "the `\(name)` busy gaps at offered_rps \(NumberText.number(top.offeredRPS))", nil)
                let work = fit.chosen.mean
                if let short = level.first(where: { !($0.overheadSeconds > work) }) {
                    throw .at(short.handlerStartLocation,
                              "this call's overhead (\(NumberText.duration(short.overheadSeconds))) is not above the busy-gap work (mean \(NumberText.duration(work))) that it should contain",
                              hint: "the gaps hold more than the server's own work: on a busy host, time the server did not get the CPU; or the server is not one executor serving first come, first served. Measure on a quiet host, or use --server-work-from receipt")
                }
                y = level.map { lessServerWork($0, estimator: .busyGaps, gapMean: work) }
                (serverFit, gaps) = (fit, measured)
            }
            let x = level.map(\.bytes)
            let line = try? LinearFit.ordinary(x: x, y: y)
            let fixedParts = line.map { line in zip(x, y).map { $1 - line.slope * $0 } } ?? []
            let usesLine = isIdentifiable(line) && fixedParts.allSatisfy { $0 > 0 }
            let callOverhead = try select(usesLine ? fixedParts : y, "the `\(name)` overheads at \(at)", level.map(\.handlerStartLocation))
            fits.append(ProtocolOverhead(callProtocol: name, offeredRPS: lowest, count: level.count,
                                         meanSeconds: y.reduce(0, +) / Double(y.count), line: line,
                                         callOverhead: callOverhead, usesLine: usesLine, serverWork: serverFit,
                                         serverWorkEstimator: serverWork, busyGaps: gaps))
        }
        if fits.count > 1 {
            for index in fits.indices { fits[index].samplesFilePrefix = fits[index].callProtocol + "-" }
        }
        return fits
    }

    /// A call's overhead less the server's work that `estimator` takes out of it: its own
    /// receipt (`receipt`), the busy gaps' fitted mean `gapMean` (`busy-gaps`), or nothing.
    static func lessServerWork(_ call: TestbedRecords.Record, estimator: Calibration.ServerWorkEstimator?,
                               gapMean: Double) -> Double {
        switch estimator {
        case nil: call.overheadSeconds
        case .receipt: call.overheadSeconds - (call.serverSeconds ?? 0)
        case .busyGaps: call.overheadSeconds - gapMean
        }
    }

    /// The quantity `callOverhead` was fitted to, for `calls` of any level: each call's
    /// overhead less the server's work as `fit` took it out (`lessServerWork`), less the line's
    /// per-byte part when the fixed part was fitted (`usesLine`; the fitted level's slope).
    func fittedQuantity(_ calls: [TestbedRecords.Record]) -> [Double] {
        let gapMean = serverWorkEstimator == .busyGaps ? serverWork?.chosen.mean ?? 0 : 0
        return calls.map { call in
            let y = Self.lessServerWork(call, estimator: serverWorkEstimator, gapMean: gapMean)
            guard usesLine, let line else { return y }
            return y - line.slope * call.bytes
        }
    }

    /// The samples file of an empirical `callOverhead`, beside the fragment.
    public var callOverheadSamplesFile: String { samplesFilePrefix + "overhead-samples.csv" }
    /// The samples file of an empirical `serverWork`, beside the fragment.
    public var serverWorkSamplesFile: String { samplesFilePrefix + "server-work-samples.csv" }

    /// The settings of the protocol in the scenario format: `{callOverhead: ..., ...}`.
    public var scenarioSettings: String {
        "{callOverhead: \(ScenarioFragment.distribution(callOverhead.chosen.distribution!, samplesFile: callOverheadSamplesFile)), requestOverhead: 0B, "
            + "responseOverhead: 0B, payloadInflation: 1, codecThroughput: "
            + (codecBitsPerSecond.map { "\($0)bps" } ?? "unlimited")
            + (serverWork.map { ", serverWork: " + ScenarioFragment.distribution($0.chosen.distribution!, samplesFile: serverWorkSamplesFile) } ?? "") + "}"
    }

    /// One sentence for the terminal, the JSON and the fragment's comment.
    public var summary: String {
        var text = "\(callProtocol): mean overhead \(NumberText.duration(meanSeconds)) per call over \(count) calls at \(NumberText.number(offeredRPS)) requests/s"
        if let line {
            text += "; fixed \(NumberText.duration(line.intercept)) (SE \(NumberText.duration(line.interceptStandardError)))"
                + " + \(NumberText.number(line.slope * 1e9)) ns per byte (SE \(NumberText.number(line.slopeStandardError * 1e9)) ns, p \(NumberText.pValue(line.slopePValue)))"
        } else {
            text += "; every call moved the same bytes, so no per-byte part can be fitted"
        }
        text += usesLine ? "; callOverhead fitted to the fixed part of each call (overhead − per-byte · bytes)"
            : "; callOverhead fitted to the whole overhead (no identifiable per-byte part; codec time unlimited)"
        if let serverWork, let gaps = busyGaps {
            text += "; the server's work per call from busy gaps (next handler start − previous handler end while the next call waited;"
                + " mean \(NumberText.duration(serverWork.chosen.mean)) at offered_rps \(NumberText.number(gaps.fitted.offeredRPS)), the highest level)"
                + " fitted as serverWork (\(serverWork.chosen.family.rawValue)) and its mean taken out of every call's overhead"
        } else if let serverWork {
            text += "; the server's pre-handler time (mean \(NumberText.duration(serverWork.chosen.mean))) taken out of the overhead and fitted as serverWork (\(serverWork.chosen.family.rawValue))"
        }
        return text
    }
}
