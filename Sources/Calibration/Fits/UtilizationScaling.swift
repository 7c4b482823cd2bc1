// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The load dependence of service time as the simulator's `serviceTimeScaling: {by:
/// utilization}` (docs/calibration.md, "Load dependence"): one point per offered-load level,
/// x = offered_rps · (E[S] + E[serverWork]) (the node's offered load ρ with the fitted, unscaled
/// service time and the protocol's fitted serverWork, as `OfferedLoad` computes it for one
/// worker) and factor = the level's mean service time / the lowest level's. The fitted
/// distribution is the lowest level's, so f = 1 there by construction.
public enum UtilizationScaling {
    /// The scaling, or nil when the dependence is not significant or has fewer than two levels
    /// with a positive rate (sequential records, offered_rps 0, have no offered load).
    /// `fittedMean`: the node's work per request, E[S] + E[serverWork], seconds.
    public static func make(_ load: LoadDependence, fittedMean: Double) -> ServiceTimeScaling? {
        let levels = load.levels.filter { $0.load > 0 }
        guard load.variable == "offered_rps", load.isSignificant, levels.count >= 2, fittedMean > 0,
              let lowest = levels.first, lowest.meanSeconds > 0 else { return nil }
        let points = levels.map { ServiceTimeScaling.Point(x: $0.load * fittedMean, factor: $0.meanSeconds / lowest.meanSeconds) }
        return ServiceTimeScaling(variable: .utilization, points: points)
    }

    /// `{by: utilization, points: [[x, factor], …]}` in shortest round-trip numbers.
    public static func text(_ scaling: ServiceTimeScaling) -> String {
        text(by: scaling.variable.rawValue, points: scaling.points)
    }

    /// `{by: <by>, points: [[x, factor], …]}` in shortest round-trip numbers: the text of
    /// `serviceTimeScaling` and `callOverheadScaling` (the same points).
    static func text(by variable: String, points: [ServiceTimeScaling.Point]) -> String {
        "{by: \(variable), points: [" + points.map { "[\($0.x), \($0.factor)]" }.joined(separator: ", ") + "]}"
    }
}
