// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The client-side overhead of one protocol's calls as fixed + per-byte time, fitted by least
/// squares of the low-load overheads (client time − handler time) against the bytes each call
/// moved (request + response): overhead = fixed + perByte · bytes (docs/calibration.md,
/// "Protocol overhead").
///
/// Mapping onto the scenario's protocol keys (docs/cost-models.md, "Protocols"): a message
/// costs (payload · inflation + overhead bytes) · codec seconds. With payloadInflation 1,
/// responseOverhead 0, codec = perByte (codecThroughput = 8/perByte bits per second) and
/// requestOverhead = fixed/perByte bytes, one call costs fixed + perByte · bytes. Written only
/// when both are positive and the per-byte slope is significant (p < 0.05); otherwise the
/// fixed cost is reported in a comment, as the format has no per-call fixed time yet.
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

    /// Whether the fit maps onto the scenario's protocol keys (see the type's comment).
    public var mapsOntoScenarioKeys: Bool {
        guard let line, ["rest", "grpc", "queue"].contains(callProtocol) else { return false }
        return line.slope > 0 && line.intercept > 0 && line.slopePValue < 0.05
    }

    /// codecThroughput in bits per second and requestOverhead in bytes, when they map.
    public var scenarioSettings: (codecBitsPerSecond: Double, requestOverheadBytes: Double)? {
        guard mapsOntoScenarioKeys, let line else { return nil }
        return (8 / line.slope, line.intercept / line.slope)
    }

    /// Fits each protocol's records at its lowest offered load.
    public static func fit(_ records: [TestbedRecords.Record]) -> [ProtocolOverhead] {
        let protocols = Array(Set(records.map(\.callProtocol))).sorted()
        return protocols.map { name in
            let own = records.filter { $0.callProtocol == name }
            let lowest = own.map(\.offeredRPS).min()!
            let level = own.filter { $0.offeredRPS == lowest }
            let y = level.map(\.overheadSeconds), x = level.map(\.bytes)
            return ProtocolOverhead(callProtocol: name, offeredRPS: lowest, count: level.count,
                                    meanSeconds: y.reduce(0, +) / Double(y.count),
                                    line: try? LinearFit.ordinary(x: x, y: y))
        }
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
        return text
    }
}
