// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The client-side overhead of one protocol's calls, from the low-load overheads O = (client
/// time − handler time) of each call (docs/calibration.md, "Protocol overhead"):
/// - the line O = fixed + perByte · bytes (request + response), by least squares;
/// - `callOverhead`, the distribution of the per-call fixed time, fitted like service times
///   (`FitSelection.choose`): to O − perByte · bytes when the line is identifiable (a positive
///   fixed part and a significant positive per-byte slope, p < 0.05, with every such
///   difference positive), else to O itself.
///
/// With `serverWork` (calibrate `--server-work`), each call's server pre-handler time S
/// (handler_start − server_receive) is fitted as `serverWork` (work on the server's worker)
/// and taken out first: O is then the caller's part, (client time − handler time) − S.
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
    /// The fit of the server's pre-handler time (`serverWork`), with `--server-work` only.
    public var serverWork: FitSelection?

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

    /// Fits each protocol's records at its lowest offered load. `select` fits a distribution
    /// to samples the way service times are fitted (`Calibration.select`).
    static func fit(_ records: [TestbedRecords.Record], serverWork: Bool = false,
                    select: ([Double], String) throws(CalibrationFailure) -> FitSelection) throws(CalibrationFailure) -> [ProtocolOverhead] {
        let protocols = Array(Set(records.map(\.callProtocol))).sorted()
        var fits: [ProtocolOverhead] = []
        for name in protocols {
            let own = records.filter { $0.callProtocol == name }
            let lowest = own.map(\.offeredRPS).min()!
            let level = own.filter { $0.offeredRPS == lowest }
            let server = serverWork ? level.map { $0.serverSeconds ?? 0 } : []
            let y = serverWork ? zip(level, server).map { $0.overheadSeconds - $1 } : level.map(\.overheadSeconds)
            let x = level.map(\.bytes)
            let line = try? LinearFit.ordinary(x: x, y: y)
            let fixedParts = line.map { line in zip(x, y).map { $1 - line.slope * $0 } } ?? []
            let usesLine = isIdentifiable(line) && fixedParts.allSatisfy { $0 > 0 }
            let what = "the `\(name)` overheads at offered_rps \(NumberText.number(lowest))"
            let callOverhead = try select(usesLine ? fixedParts : y, what)
            let serverFit = serverWork
                ? try select(server, "the `\(name)` server pre-handler times at offered_rps \(NumberText.number(lowest))") : nil
            fits.append(ProtocolOverhead(callProtocol: name, offeredRPS: lowest, count: level.count,
                                         meanSeconds: y.reduce(0, +) / Double(y.count), line: line,
                                         callOverhead: callOverhead, usesLine: usesLine, serverWork: serverFit))
        }
        return fits
    }

    /// The settings of the protocol in the scenario format: `{callOverhead: ..., ...}`.
    public var scenarioSettings: String {
        "{callOverhead: \(ScenarioFragment.distribution(callOverhead.chosen.distribution!)), requestOverhead: 0B, "
            + "responseOverhead: 0B, payloadInflation: 1, codecThroughput: "
            + (codecBitsPerSecond.map { "\($0)bps" } ?? "unlimited")
            + (serverWork.map { ", serverWork: " + ScenarioFragment.distribution($0.chosen.distribution!) } ?? "") + "}"
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
        if let serverWork {
            text += "; the server's pre-handler time (mean \(NumberText.duration(serverWork.chosen.mean))) taken out of the overhead and fitted as serverWork (\(serverWork.chosen.family.rawValue))"
        }
        return text
    }
}
