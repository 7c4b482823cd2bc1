// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

extension ScenarioDecoder {
    /// A shifted time distribution (`shift:` beside a shiftable family's parameters). `mean` and
    /// `cv` describe the whole X = shift + Y (what a user measures), so mean must exceed shift;
    /// weibull's `shape` and `scale` describe the part Y above the floor (docs/scenario-format.md).
    mutating func shiftedDistribution(_ name: String, shift: Double, values: [Double], form: DistributionForm,
                                      locate: (String) -> (node: ScenarioNode, path: KeyPath)) -> Distribution? {
        let unshifted = form.make(values)
        var problems = unshifted.validationProblems()
        if !shift.isFinite || shift < 0 {
            problems.append(.init(parameter: DistributionForm.shiftKey, message: "must be a finite time not below 0, got \(shift) s"))
        }
        let distribution: Distribution?
        if name == "weibull" {
            distribution = .shifted(shift: shift, base: unshifted)
        } else {
            let mean = values[0], cv = values.count > 1 ? values[1] : 1
            distribution = problems.isEmpty ? Distribution.shifted(name, shift: shift, mean: mean, cv: cv) : nil
            if problems.isEmpty, distribution == nil {
                problems.append(.init(parameter: "mean",
                                      message: "must be greater than shift (\(shift) s): mean is the whole distribution's, floor included, got \(mean) s"))
            }
        }
        for problem in problems {
            let (node, path) = locate(problem.parameter)
            log.error(problem.message, at: node, path: path)
        }
        return problems.isEmpty ? distribution : nil
    }
}
