// SPDX-License-Identifier: GPL-3.0-or-later

/// A decoded `plan:` section before its candidates are applied to the scenario: the axes of
/// the search space, the objective and the search settings.
struct PlanSection: Sendable {
    /// Named joint choices (`choices: {name: {KEY.PATH: value, ...}}`), in file order; empty
    /// when the section has none. They form the first (slowest-varying) axis.
    var choices: [(name: String, settings: [SweepSetting])]
    /// One axis per decision variable (`variables: {KEY.PATH: [v, ...]}`), in file order.
    var variables: [[SweepSetting]]
    var objective: PlanObjective
    /// Where the objective is written (`maximize: accuracy` without accuracy is reported there).
    var objectiveLocation: SourceLocation
    var search: PlanSearchSettings

    /// Every candidate in enumeration order: the cartesian product of the choices and the
    /// variables, the first axis varying slowest.
    var candidates: [(choice: String?, settings: [SweepSetting])] {
        let choiceAxis: [(String?, [SweepSetting])] = choices.isEmpty ? [(nil, [])] : choices.map { ($0.name, $0.settings) }
        let grid = variables.reduce([[SweepSetting]]([[]])) { points, axis in points.flatMap { point in axis.map { point + [$0] } } }
        return choiceAxis.flatMap { choice in grid.map { (choice.0, choice.1 + $0) } }
    }

    /// The number of candidates, as a double (it may overflow an Int before it is checked).
    var count: Double { variables.reduce(Double(max(1, choices.count))) { $0 * Double($1.count) } }
}
