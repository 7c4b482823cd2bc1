// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import NumericCore

/// The calibration as a table for the terminal: one row per candidate family (the chosen one
/// marked `*`), then the choice's reason, the load dependence and the protocol fits.
public enum CalibrationTable {
    public static func render(_ calibration: Calibration) -> String {
        var out = "calibrated from \(calibration.request.file): \(calibration.samplesUsed)\n"
        if let selection = calibration.selection {
            out += pad("family", 22) + pad("mean", 11) + pad("ln L", 12) + pad("AIC", 12) + pad("KS D", 9) + pad("KS p", 11) + "parameters\n"
            for fit in selection.candidates {
                let mark = fit.family == selection.chosen.family ? " *" : ""
                let parameters = fit.parameters.map { "\($0.name)=\(NumberText.number($0.value))" }.joined(separator: " ")
                out += pad(fit.family.rawValue + mark, 22) + pad(NumberText.duration(fit.mean), 11)
                    + pad(fit.logLikelihood.map(NumberText.number) ?? "-", 12) + pad(fit.aic.map(NumberText.number) ?? "-", 12)
                    + pad(NumberText.number(fit.ks.statistic), 9) + pad(fit.ks.bootstrapPValue.map { NumberText.number($0) + " b" } ?? NumberText.number(fit.ks.pValue), 11) + parameters + "\n"
            }
            out += "choice: \(selection.reason)\n"
            if selection.candidates.contains(where: { $0.ks.bootstrapPValue != nil }) {
                out += "(KS p marked b: parametric bootstrap; the others asymptotic, conservative)\n"
            }
        } else if let mean = calibration.meanOnlySeconds {
            out += "service time: mean \(NumberText.duration(mean)) (perf_analyzer means: no distribution shape)\n"
        }
        if let load = calibration.loadDependence {
            out += "load dependence: \(load.summary)\n"
            out += calibration.serviceTimeScaling.map { "  written as serviceTimeScaling: \(UtilizationScaling.text($0))\n" }
                ?? "  not written to the fragment (not significant, or fewer than two open-loop levels)\n"
        }
        if let fixed = calibration.fixedOverheadSeconds { out += "client-side overhead per request: \(NumberText.duration(fixed))\n" }
        for overhead in calibration.protocols {
            out += "protocol \(overhead.summary)\n"
            if let gaps = overhead.busyGaps { out += "  busy gaps: \(gaps.levelsText)\n  \(gaps.dependenceText)\n" }
        }
        for calls in calibration.overheadCalls where calls.selection != .all { out += "overhead calls \(calls.summary)\n" }
        for load in calibration.overheadLoadDependence {
            out += "overhead load dependence \(load.summary)\n"
            out += load.scaling.map { "  written as callOverheadScaling: \(OverheadLoadDependence.text($0))\n" }
                ?? "  not written to the fragment (not significant): the overhead stays constant\n"
        }
        if calibration.failedRequests > 0 { out += "left out: \(calibration.failedRequests) requests whose status was not `ok`\n" }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
