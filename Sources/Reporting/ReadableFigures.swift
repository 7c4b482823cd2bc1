// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// How the readable summary writes figures for people: latencies in milliseconds, SLO
/// objectives in their own unit, money and energy per hour of operation (docs/cli.md, "The
/// readable summary").
enum ReadableFigures {
    /// `seconds` as milliseconds with three significant figures (at least the unit digit):
    /// `0.0123` → `12.3 ms`, `1.5` → `1500 ms`, `0.000042` → `0.0420 ms`.
    static func milliseconds(_ seconds: Double) -> String {
        millisecondNumber(seconds) + " ms"
    }

    /// The number of `milliseconds(_:)` without its unit.
    static func millisecondNumber(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "n/a" }
        let ms = seconds * 1000
        if ms == 0 { return "0" }
        let magnitude = abs(ms)
        if magnitude >= 1e7 { return String(format: "%.3g", ms) }
        let decimals = max(0, 2 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", ms)
    }

    /// An SLO figure (target, value or margin) of the objective `name` (`SLOReport.Check.name`)
    /// in the objective's unit: latencies in ms, cost in $/h, power in W, accuracy as a fraction.
    static func sloFigure(_ value: Double, objective name: String) -> String {
        if name.hasPrefix("latency.") { return milliseconds(value) }
        if name == "cost_per_h" { return "$" + SummaryTable.fixed(value) + "/h" }
        if name.hasPrefix("edge_power.") { return SummaryTable.fixed(value) + " W" }
        return SummaryTable.fixed(value)
    }

    /// A margin with its sign in front of the unit: `+12.0 ms`, `-$0.5000/h`, `-0.0300`.
    static func sloMargin(_ margin: Double, objective name: String) -> String {
        (margin > 0 ? "+" : margin < 0 ? "-" : "") + sloFigure(abs(margin), objective: name)
    }

    /// Energy of the whole deployment per hour of operation, kWh per hour: the mean energy of
    /// one replication's measured window over that window's mean length (equal to the mean
    /// power in kW). nil when nothing was measured.
    static func energyKWhPerHour(_ summary: RunSummary) -> Double? {
        energyKWhPerHour(joules: summary.energyJoules, measuredSeconds: summary.measuredSeconds, replications: summary.replications)
    }

    /// The same from `summary.json`'s `energy_j` (mean per replication), `measured_s` (summed
    /// over replications) and `replications`.
    static func energyKWhPerHour(joules: Double, measuredSeconds: Double, replications: Int) -> Double? {
        guard replications > 0, measuredSeconds > 0 else { return nil }
        return joules / (measuredSeconds / Double(replications)) * 3600 / 3.6e6
    }
}
