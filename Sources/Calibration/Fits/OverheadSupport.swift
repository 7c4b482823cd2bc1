// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Scenarios

extension Calibration {
    /// Refuses protocol-cost samples that `family` (calibrate `--overhead-family`) cannot take,
    /// at the call they came from: a negative sample for any family (a duration), a zero for the
    /// families on (0, ∞) (gamma, lognormal, Weibull and their shifted forms, whose shift lies
    /// below the smallest sample). `locations[i]` is sample i's call (its handler_start_ns
    /// cell); samples that are not one call's (busy gaps) have none and are located at `header`.
    static func refuseOutOfSupport(_ samples: [Double], of family: FitFamily, what: String,
                                   at locations: [SourceLocation]?, header: SourceLocation) throws(CalibrationFailure) {
        let needsPositive = ![.exponential, .shiftedExponential, .deterministic, .empirical].contains(family)
        guard let index = samples.firstIndex(where: { !$0.isFinite || $0 < 0 || (needsPositive && $0 == 0) }) else { return }
        let location = locations.map { $0[index] } ?? header
        let value = samples[index]
        let support = value < 0 || !value.isFinite ? "a duration cannot be negative" : "`\(family.rawValue)` lives on (0, ∞)"
        throw .at(location, "a sample of \(what) is \(NumberText.duration(value))" + (locations == nil ? "" : " (this call's)") + ", which `\(family.rawValue)` cannot take: \(support)",
                  hint: value < 0 ? "a negative overhead is a call whose server-side part taken out exceeds its whole overhead (clock or"
                      + " ordering trouble, or --server-work-from busy-gaps on a busy host): check the records, or drop --server-work"
                      : "use a family that admits 0 (exponential, shifted-exponential, empirical), or leave out --overhead-family")
    }
}
