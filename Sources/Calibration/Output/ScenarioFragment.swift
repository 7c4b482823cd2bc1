// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Reporting

/// The scenario fragment a calibration writes (`fragment.yaml`), for a scenario's `include:`:
/// the model's `serviceTime` and the protocols' cost keys (`callOverhead`, and a codec time
/// where a per-byte part is identifiable); everything the format cannot carry yet (load
/// dependence unless significant) as comments. Values are written in Swift's shortest round-trip form, in the largest
/// unit that needs no exponent, so the fragment reproduces the fit up to the rounding of that
/// unit conversion (a unit in the last place).
public enum ScenarioFragment {
    /// The file an empirical choice's samples go to, next to the fragment.
    public static let samplesFile = "service-samples.csv"

    /// The fragment's text.
    public static func render(_ calibration: Calibration) -> String {
        var lines = ["# Calibrated by `hybridsim calibrate` (hybridsim \(HybridsimVersion.string)) from \(calibration.request.file):",
                     "# \(calibration.samplesUsed).",
                     "# Include it from a scenario with `include: [path/to/fragment.yaml]` (docs/calibration.md)."]
        let serviceTime: String
        if let selection = calibration.selection {
            lines.append("# Service time: \(selection.reason).")
            serviceTime = distribution(selection.chosen.distribution!)
        } else {
            let mean = calibration.meanOnlySeconds!
            lines.append("# Service time: the mean server compute time (input + infer + output) at the lowest concurrency.")
            lines.append("# perf_analyzer reports means only, so the shape of the distribution is unknown: this is a")
            lines.append("# constant. Fit per-request samples (--column) to get a distribution.")
            serviceTime = NumberText.exactDuration(mean)
        }
        if let load = calibration.loadDependence {
            if calibration.serviceTimeScaling != nil {
                lines.append("# Load dependence, written as serviceTimeScaling (x = offered_rps · (fitted mean + serverWork's with one protocol): the node's offered load ρ")
                lines.append("#   with one worker; factor = the level's mean / the lowest level's; docs/cost-models.md):")
            } else {
                lines.append("# Load dependence (not written: not significant, or fewer than two open-loop levels):")
            }
            lines.append("#   \(load.summary).")
        }
        if let fixed = calibration.fixedOverheadSeconds {
            lines.append("# Client-side overhead per request at the lowest concurrency: \(NumberText.duration(fixed)) (no byte counts in")
            lines.append("#   perf_analyzer's export, so no per-byte part; the format has no fixed per-call time key yet).")
        }
        var protocolLines: [String] = []
        for overhead in calibration.protocols {
            lines.append("# Protocol \(overhead.summary).")
            if let calls = calibration.overheadCalls.first(where: { $0.callProtocol == overhead.callProtocol }) {
                lines.append("#   Calls: \(calls.summary).")
            }
            lines.append("#   callOverhead: \(overhead.callOverhead.reason).")
            if let gaps = overhead.busyGaps, let serverWork = overhead.serverWork {
                lines.append("#   serverWork: \(serverWork.reason).")
                lines.append("#   Busy gaps per level (the highest is fitted; the simulator takes one distribution): \(gaps.levelsText).")
                lines.append("#   \(gaps.dependenceText).")
                lines.append("#   callOverhead is fitted to each call's overhead minus serverWork's mean: an unqueued call's overhead already")
                lines.append("#   holds its own read and response write, the work one busy gap holds, so it is counted once.")
            }
            guard ["rest", "grpc", "queue"].contains(overhead.callProtocol) else {
                lines.append("#   Not written as protocol keys: `\(overhead.callProtocol)` is not a protocol of the scenario format (rest, grpc, queue).")
                continue
            }
            var settings = overhead.scenarioSettings
            if let load = calibration.overheadLoadDependence.first(where: { $0.callProtocol == overhead.callProtocol }) {
                lines.append("#   Load dependence of the overhead (calibrate --overhead-load-dependence): \(load.summary).")
                if let scaling = load.scaling {
                    lines.append("#   Written as callOverheadScaling: x = offered_rps · (E[S] + E[serverWork]) = offered_rps · \(NumberText.duration(load.workPerCallSeconds)),")
                    lines.append("#   the called node's offered load ρ with one worker; factor = the level's mean / offered_rps \(NumberText.number(load.baseOfferedRPS))'s.")
                    settings = String(settings.dropLast()) + ", callOverheadScaling: \(OverheadLoadDependence.text(scaling))}"
                } else {
                    lines.append("#   Not written: the overhead is kept constant.")
                }
            }
            lines.append("#   The scenario's payloads must be the measured wire sizes (payloadInflation 1, no overhead bytes).")
            protocolLines.append("  \(overhead.callProtocol): \(settings)")
        }
        lines.append("models:")
        lines.append("  \(calibration.request.model):")
        lines.append("    serviceTime: \(serviceTime)")
        if let scaling = calibration.serviceTimeScaling {
            lines.append("    serviceTimeScaling: \(UtilizationScaling.text(scaling))")
        }
        if !protocolLines.isEmpty {
            lines.append("protocols:")
            lines += protocolLines
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The scenario-format text of a time distribution (durations exact); an empirical one
    /// points to `samplesFile` beside the fragment.
    static func distribution(_ distribution: Distribution, samplesFile: String = samplesFile) -> String {
        switch distribution {
        case .deterministic(let value): NumberText.exactDuration(value)
        case .exponential(let mean): "{dist: exponential, mean: \(NumberText.exactDuration(mean))}"
        case .gamma(let mean, let cv): "{dist: gamma, mean: \(NumberText.exactDuration(mean)), cv: \(cv)}"
        case .lognormal(let mean, let cv): "{dist: lognormal, mean: \(NumberText.exactDuration(mean)), cv: \(cv)}"
        case .weibull(let shape, let scale): "{dist: weibull, shape: \(shape), scale: \(NumberText.exactDuration(scale))}"
        case .empirical: "{dist: empirical, file: \(samplesFile)}"
        case .shifted(let shift, let base): shifted(shift, base)
        case .normal, .uniform, .pareto: preconditionFailure("calibration never fits \(distribution.name)")
        }
    }

    /// A shifted family: `shift:` after `dist:`; exponential, gamma and lognormal by the whole's
    /// mean (and cv), as the scenario format reads them; weibull by its part's shape and scale.
    static func shifted(_ shift: Double, _ base: Distribution) -> String {
        let whole = Distribution.shifted(shift: shift, base: base)
        let head = "{dist: \(base.name), shift: \(NumberText.exactDuration(shift))"
        switch base {
        case .exponential: return head + ", mean: \(NumberText.exactDuration(whole.mean))}"
        case .gamma, .lognormal:
            let (mean, cv) = whole.meanAndCV!
            return head + ", mean: \(NumberText.exactDuration(mean)), cv: \(cv)}"
        case .weibull(let shape, let scale): return head + ", shape: \(shape), scale: \(NumberText.exactDuration(scale))}"
        default: preconditionFailure("calibration never fits a shifted \(base.name)")
        }
    }

    /// The samples file of an empirical choice (`seconds` header, one exact value per row), or
    /// nil when the choice is not empirical.
    public static func samplesCSV(_ calibration: Calibration) -> String? {
        calibration.selection.flatMap { samplesCSV($0) }
    }

    /// Every samples file the fragment points to, as (name beside the fragment, contents): the
    /// service time's (`samplesFile`) and each protocol's empirical `callOverhead` and
    /// `serverWork` (calibrate `--overhead-family empirical`).
    public static func samplesFiles(_ calibration: Calibration) -> [(name: String, text: String)] {
        var files: [(name: String, text: String)] = []
        if let text = samplesCSV(calibration) { files.append((samplesFile, text)) }
        for overhead in calibration.protocols {
            if let text = samplesCSV(overhead.callOverhead) { files.append((overhead.callOverheadSamplesFile, text)) }
            if let text = overhead.serverWork.flatMap({ samplesCSV($0) }) { files.append((overhead.serverWorkSamplesFile, text)) }
        }
        return files
    }

    /// The samples file of an empirical fit, or nil when `selection` chose another family.
    static func samplesCSV(_ selection: FitSelection) -> String? {
        guard case .empirical(let sorted)? = selection.chosen.distribution else { return nil }
        return "seconds\n" + sorted.map { "\($0)" }.joined(separator: "\n") + "\n"
    }
}
