// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import Scenarios

/// How one protocol's overhead changes with load, from testbed records at several offered
/// loads (calibrate `--overhead-load-dependence`; docs/calibration.md, "The overhead's load
/// dependence"), written as the simulator's `callOverheadScaling: {by: utilization}` when the
/// levels differ.
///
/// Per level: the calls chosen as for the fitted overhead (`--overhead-calls`: all, or the
/// idle-found ones), each call's quantity exactly as `callOverhead` was fitted to it
/// (`ProtocolOverhead.fittedQuantity`: the overhead less the serverWork estimator's part and
/// the line's per-byte part when used), their mean mᵢ and its standard error seᵢ = sᵢ/√nᵢ.
/// The levels are the open-loop ones (offered_rps > 0), and the sequential one (offered_rps 0)
/// when it is the level the overhead was fitted on.
///
/// The test: homogeneity of the level means, χ² = Σ (mᵢ − m̄_w)² / seᵢ² with k − 1 degrees of
/// freedom (`ChiSquare.homogeneity`), significant when p < 0.05 — not the slope of a line,
/// since the measured overheads are not monotone in load (gRPC's fell and then rose again).
/// When significant, the points: xᵢ = offered_rpsᵢ · (E[S] + E[serverWork]), the called node's
/// offered load ρ with one worker as the simulator computes it (`OfferedLoad`: the fitted
/// service time's mean plus the fitted serverWork's), and fᵢ = mᵢ / m_base, m_base the mean
/// at the level the overhead was fitted on (f = 1 there).
public struct OverheadLoadDependence: Sendable {
    /// Calls needed at each level: the test takes each level's mean as normal (n ≥ 30).
    public static let minimumCallsPerLevel = 30

    /// One load level.
    public struct Level: Sendable, Equatable {
        /// The level's offered rate, requests per second (0: sequential records).
        public var offeredRPS: Double
        /// The called node's offered load ρ at this level (the scaling's x).
        public var load: Double
        /// Calls at the level, and those used (the overhead's selection).
        public var levelCount: Int
        public var count: Int
        public var meanSeconds: Double
        public var standardErrorSeconds: Double
        /// meanSeconds / the base level's.
        public var factor: Double
    }

    public var callProtocol: String
    /// The level the overhead was fitted on (its factor is 1).
    public var baseOfferedRPS: Double
    /// Lowest offered load first.
    public var levels: [Level]
    public var chiSquare: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    /// E[S] + E[serverWork] of the fits, seconds: x = offered_rps times this.
    public var workPerCallSeconds: Double

    /// Whether the level means differ at the 5 % level.
    public var isSignificant: Bool { pValue < 0.05 }

    /// The scaling written to the fragment: one point per level (x, f); nil when not significant.
    public var scaling: CallOverheadScaling? {
        guard isSignificant else { return nil }
        return CallOverheadScaling(variable: .utilization, points: levels.map { .init(x: $0.load, factor: $0.factor) })
    }

    /// The dependence of `overhead` (fitted on `base`) over the levels of `records` (one config's
    /// `ok` calls, every level), with `serviceMean` the fitted service time's mean. Located at
    /// `location` (the `offered_rps` header cell): fewer than 2 levels, a level with fewer than
    /// `minimumCallsPerLevel` calls chosen, a level whose quantities do not vary.
    static func measure(_ records: [TestbedRecords.Record], overhead: ProtocolOverhead, base: OverheadCalls,
                        serviceMean: Double, at location: SourceLocation) throws(CalibrationFailure) -> OverheadLoadDependence {
        let name = overhead.callProtocol
        let own = records.filter { $0.callProtocol == name }
        let loads = Set(own.map(\.offeredRPS)).filter { $0 > 0 || $0 == base.offeredRPS }.sorted()
        guard loads.count >= 2 else {
            throw failure(at: location, "the overhead's load dependence needs at least 2 load levels of `\(name)` calls, and the records have "
                              + (loads.isEmpty ? "none" : "only offered_rps \(NumberText.number(loads[0]))"),
                          hint: "calibrate from the records of several open-loop levels, or drop --overhead-load-dependence")
        }
        let work = serviceMean + (overhead.serverWork?.chosen.mean ?? 0)
        var measured: [(offeredRPS: Double, levelCount: Int, count: Int, mean: Double, se: Double)] = []
        for load in loads {
            let calls = own.filter { $0.offeredRPS == load }
            let used = base.selection == .all ? calls : IdleFoundCalls.select(calls)
            guard used.count >= minimumCallsPerLevel else {
                throw failure(at: location, "only \(used.count) of the \(calls.count) `\(name)` calls at offered_rps \(NumberText.number(load)) "
                                  + (base.selection == .idleFound ? "found the server idle (\(IdleFoundCalls.criterion)); " : "are `ok`; ")
                                  + "the overhead's load dependence needs at least \(minimumCallsPerLevel) at every level",
                              hint: "measure more requests at that level, leave the level out of the records, or drop --overhead-load-dependence")
            }
            var welford = Welford()
            for y in overhead.fittedQuantity(used) { welford.add(y) }
            let se = (welford.variance / Double(used.count)).squareRoot()
            guard se > 0, se.isFinite else {
                throw failure(at: location, "the `\(name)` overheads at offered_rps \(NumberText.number(load)) do not vary: their mean has no standard error to test with",
                              hint: "check the records' timestamps, or drop --overhead-load-dependence")
            }
            measured.append((load, calls.count, used.count, welford.mean, se))
        }
        let test = ChiSquare.homogeneity(means: measured.map(\.mean), standardErrors: measured.map(\.se))!
        let baseMean = measured.first { $0.offeredRPS == base.offeredRPS }!.mean
        let levels = measured.map {
            Level(offeredRPS: $0.offeredRPS, load: $0.offeredRPS * work, levelCount: $0.levelCount, count: $0.count,
                  meanSeconds: $0.mean, standardErrorSeconds: $0.se, factor: $0.mean / baseMean)
        }
        return OverheadLoadDependence(callProtocol: name, baseOfferedRPS: base.offeredRPS, levels: levels, chiSquare: test.statistic,
                                      degreesOfFreedom: test.degreesOfFreedom, pValue: test.pValue, workPerCallSeconds: work)
    }

    private static func failure(at location: SourceLocation, _ message: String, hint: String) -> CalibrationFailure {
        CalibrationFailure([Diagnostic(location: location, keyPath: "offered_rps", message: message, hint: hint)])
    }

    /// One sentence for the terminal, the JSON and the fragment's comment.
    public var summary: String {
        let means = levels.map { "\(NumberText.duration($0.meanSeconds)) (SE \(NumberText.duration($0.standardErrorSeconds)), \($0.count) calls) at offered_rps \(NumberText.number($0.offeredRPS))" }
        return "\(callProtocol): mean overhead per level " + means.joined(separator: ", ")
            + "; homogeneity χ² \(NumberText.number(chiSquare)) on \(degreesOfFreedom) degree\(degreesOfFreedom == 1 ? "" : "s") of freedom, p \(NumberText.pValue(pValue))"
            + (isSignificant ? ": the levels differ at the 5 % level" : ": no difference at the 5 % level")
    }

    /// `{by: utilization, points: [[x, factor], …]}` in shortest round-trip numbers.
    public static func text(_ scaling: CallOverheadScaling) -> String {
        UtilizationScaling.text(by: scaling.variable.rawValue, points: scaling.points)
    }
}
