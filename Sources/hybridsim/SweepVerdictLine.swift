// SPDX-License-Identifier: GPL-3.0-or-later

/// The line `hybridsim sweep` prints after the points: how many recorded points missed their
/// SLO and how many were unstable, so that trouble is seen without opening sweep.csv.
enum SweepVerdictLine {
    static func text(recorded: Int, withSLO: Int, sloMissed: [Int], unstable: Int) -> String {
        let missed = withSLO == 0 ? "no SLO to check" : sloMissed.isEmpty ? "none missed its SLO"
            : "\(sloMissed.count) missed \(sloMissed.count == 1 ? "its" : "their") SLO (points "
                + sloMissed.prefix(10).map(String.init).joined(separator: ", ") + (sloMissed.count > 10 ? ", …" : "") + ")"
        return "of \(recorded) recorded point\(recorded == 1 ? "" : "s"): \(missed), \(unstable) unstable "
            + "(columns slo_met, slo_missed, bottleneck, outcome of sweep.csv)"
    }
}
