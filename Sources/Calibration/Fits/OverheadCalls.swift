// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// Which calls of one protocol the protocol overhead is fitted on (docs/calibration.md,
/// "Protocol overhead"): one load level (the lowest by default, or the one asked for), and at
/// that level every call or only those that found the server idle (`IdleFoundCalls`).
public struct OverheadCalls: Sendable {
    /// calibrate's `--overhead-calls`.
    public enum Selection: String, Sendable, CaseIterable {
        /// Every `ok` call of the level (what calibrate always did).
        case all
        /// The calls that found a one-executor server idle (`IdleFoundCalls`).
        case idleFound = "idle-found"
    }

    /// Idle-found calls needed at least: with fewer, the fitted callOverhead's 99th percentile
    /// would rest on no single call.
    public static let minimumIdleFound = 100

    public var callProtocol: String
    public var selection: Selection
    /// The level's offered load, requests per second (0: sequential records).
    public var offeredRPS: Double
    /// The `ok` calls of the protocol at that level.
    public var levelCount: Int
    /// The calls the overhead is fitted on.
    public var used: [TestbedRecords.Record]

    /// For each protocol of `records` (sorted by name), the calls at `level` (nil: the
    /// protocol's lowest offered load) chosen by `selection`. A level no record has, or fewer
    /// than `minimumIdleFound` idle-found calls, is an error at `location` (the `offered_rps`
    /// header cell).
    public static func choose(_ records: [TestbedRecords.Record], selection: Selection, level: Double?,
                              at location: SourceLocation) throws(CalibrationFailure) -> [OverheadCalls] {
        var chosen: [OverheadCalls] = []
        for name in Set(records.map(\.callProtocol)).sorted() {
            let own = records.filter { $0.callProtocol == name }
            let loads = Set(own.map(\.offeredRPS)).sorted()
            let load = level ?? loads[0]
            guard loads.contains(load) else {
                throw failure(at: location, "no `\(name)` records at offered_rps \(NumberText.number(load)) to fit the overhead on",
                          hint: "--overhead-level takes one of the records' offered_rps values: "
                              + loads.map { NumberText.number($0) }.joined(separator: ", "))
            }
            let calls = own.filter { $0.offeredRPS == load }
            let used = selection == .all ? calls : IdleFoundCalls.select(calls)
            if selection == .idleFound, used.count < minimumIdleFound {
                throw failure(at: location, "only \(used.count) of the \(calls.count) `\(name)` calls at offered_rps \(NumberText.number(load)) found the server idle"
                              + " (\(IdleFoundCalls.criterion)); the idle-found overhead needs at least \(minimumIdleFound)",
                          hint: "fit on a lower load level (--overhead-level), measure more requests, or use --overhead-calls all")
            }
            chosen.append(OverheadCalls(callProtocol: name, selection: selection, offeredRPS: load,
                                        levelCount: calls.count, used: used))
        }
        return chosen
    }

    private static func failure(at location: SourceLocation, _ message: String, hint: String) -> CalibrationFailure {
        CalibrationFailure([Diagnostic(location: location, keyPath: "offered_rps", message: message, hint: hint)])
    }

    /// One sentence for the terminal and the fragment's comment.
    public var summary: String {
        switch selection {
        case .all:
            "\(callProtocol): overhead fitted on all \(levelCount) calls at offered_rps \(NumberText.number(offeredRPS))"
        case .idleFound:
            "\(callProtocol): overhead fitted on the \(used.count) of \(levelCount) calls at offered_rps \(NumberText.number(offeredRPS))"
                + " that found the server idle (\(IdleFoundCalls.criterion); assumes one executor, first come first served)"
        }
    }
}
