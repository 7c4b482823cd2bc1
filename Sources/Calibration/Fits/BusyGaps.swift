// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// The server's own work per call outside the handler, measured from the busy periods of a
/// server with **one executor** serving calls first come, first served (grpcio with one
/// thread, uvicorn running an `async def` handler on its event loop; docs/calibration.md,
/// "Busy gaps").
///
/// Per open-loop level (offered_rps > 0), the calls in the order their handlers start: when
/// the next call b was already waiting at the server as the previous handler a ended, the
/// executor went straight from a to b, so the gap g = b.handler_start − a.handler_end is pure
/// server work — writing a's response and reading and decoding b's request. b counts as
/// waiting when b.send + T ≤ a.handler_end, T the level's transfer bound: the 95th percentile
/// of handler_start − send over the level's calls that found the server idle
/// (`IdleFoundCalls`: sent after the previous call's response was back), i.e. the time a request needs from send to its handler
/// when nothing is in its way.
///
/// The gaps of the **highest** level are the estimate (`fitted`): most calls wait there, and
/// it is where the work decides the waiting — at low load `ProtocolOverhead` takes the same
/// mean out of the overhead again, so it cancels. Every level's gaps are reported, with the
/// weighted line of their means against offered_rps (`dependence`), since the work can depend
/// on load. Overlapping handlers (a thread pool) are a located error: the estimator does not
/// apply.
public struct BusyGaps: Sendable {
    /// Quantile of the idle calls' send → handler start time taken as the transfer bound T.
    public static let transferQuantile = 0.95

    /// One load level's gaps.
    public struct Level: Sendable {
        public var offeredRPS: Double
        /// The level's `ok` calls.
        public var calls: Int
        /// Calls that found the server idle (the transfer bound's samples).
        public var idleCalls: Int
        /// T, seconds (nil: no call found the server idle, so no gap is counted).
        public var transferBoundSeconds: Double?
        /// The busy gaps, seconds, in handler order.
        public var gapSeconds: [Double]

        public var meanSeconds: Double? { gapSeconds.isEmpty ? nil : gapSeconds.reduce(0, +) / Double(gapSeconds.count) }
        public var medianSeconds: Double? {
            guard !gapSeconds.isEmpty else { return nil }
            let sorted = gapSeconds.sorted(), n = sorted.count
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        }
    }

    /// Every open-loop level, lowest offered load first.
    public var levels: [Level]
    /// The gap means against offered_rps (nil with fewer than two levels that have gaps).
    public var dependence: LoadDependence?

    /// The level whose gaps are fitted: the highest offered load.
    public var fitted: Level { levels[levels.count - 1] }

    /// Measures the gaps of `records` (one protocol of one config, every level). Errors, located
    /// at `header` or at the row at fault: no open-loop level; handlers that overlap.
    static func measure(_ records: [TestbedRecords.Record], header: SourceLocation) throws(CalibrationFailure) -> BusyGaps {
        let loads = Array(Set(records.map(\.offeredRPS).filter { $0 > 0 })).sorted()
        guard !loads.isEmpty else {
            throw .at(header, "busy gaps need open-loop records (offered_rps > 0): only sequential calls here, and none of them waited",
                      hint: "calibrate from the open-loop levels' records, or use --server-work-from receipt")
        }
        var levels: [Level] = []
        for load in loads {
            let calls = records.filter { $0.offeredRPS == load }.sorted { $0.handlerStartNs < $1.handlerStartNs }
            for (a, b) in zip(calls, calls.dropFirst()) where b.handlerStartNs < a.handlerEndNs {
                throw .at(b.handlerStartLocation,
                          "this handler starts (\(b.handlerStartNs)) before the previous one ends (\(a.handlerEndNs)) at offered_rps \(NumberText.number(load)): handlers overlap, so the server has more than one executor",
                          hint: "busy gaps need a one-executor FIFO server (grpcio with one thread, uvicorn `async def`); for a thread pool use --server-work-from receipt")
            }
            let pairs = Array(zip(calls, calls.dropFirst()))
            let idle = IdleFoundCalls.select(calls).map { $0.handlerStartNs - $0.sendNs }.sorted()
            var level = Level(offeredRPS: load, calls: calls.count, idleCalls: idle.count, transferBoundSeconds: nil, gapSeconds: [])
            if !idle.isEmpty {
                let bound = idle[max(0, Int((transferQuantile * Double(idle.count)).rounded(.up)) - 1)]
                level.transferBoundSeconds = Double(bound) * 1e-9
                level.gapSeconds = pairs.filter { a, b in b.sendNs + bound <= a.handlerEndNs }
                    .map { a, b in Double(b.handlerStartNs - a.handlerEndNs) * 1e-9 }
            }
            levels.append(level)
        }
        let withGaps = levels.filter { $0.gapSeconds.count >= 2 }
        let dependence = LoadDependence.fromSamples(variable: "offered_rps", groups: withGaps.map { ($0.offeredRPS, $0.gapSeconds) })
        return BusyGaps(levels: levels, dependence: dependence)
    }

    /// The per-level figures in words: `offered_rps 26.78: 340 gaps, mean 0.209ms, median 0.187ms (T 1.2ms)`.
    public var levelsText: String {
        levels.map { level in
            "offered_rps \(NumberText.number(level.offeredRPS)): \(level.gapSeconds.count) gaps"
                + (level.meanSeconds.map { ", mean \(NumberText.duration($0)), median \(NumberText.duration(level.medianSeconds!))" } ?? "")
                + (level.transferBoundSeconds.map { " (T \(NumberText.duration($0)))" } ?? " (no call found the server idle: T unknown)")
        }.joined(separator: "; ")
    }

    /// Whether the gap means change with load, in words (the slope test of `dependence`).
    public var dependenceText: String {
        guard let dependence, let line = dependence.line else { return "fewer than two levels with gaps: no test of load dependence" }
        return "line of the level means: slope \(NumberText.duration(line.slope)) per request/s (p \(NumberText.pValue(line.slopePValue))): "
            + (dependence.isSignificant ? "the work depends on load (significant at the 5 % level); the simulator takes one distribution, the highest level's"
                : "no significant load dependence")
    }
}
