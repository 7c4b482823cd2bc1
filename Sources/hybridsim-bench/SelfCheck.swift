// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

/// What a benchmark checks before it reports a time: the run measured what it was asked to,
/// conserved its requests, obeyed Little's law (within 10 %: requests present at the edges of
/// the window make L and λW differ slightly), and agrees with the analytic values.
///
/// Agreement: |estimate − analytic| ≤ max(6·se, f·analytic), with se the batch-means standard
/// error and a relative floor f of 10 % (25 % for tail percentiles above p90). The floor is
/// there because batch means understate the error of strongly autocorrelated outputs
/// (tandem10 at ρ = 0.9, N = 100,000: SCENARIOS.md gives a true sd of 4 % for the mean and
/// 7.5 % for p99) and of any short run; a broken engine misses by far more.
enum SelfCheck {
    static func problems(result: ReplicationResult, outputs: [ReferenceScenario.Output],
                         expectedRequests: Int) -> [String] {
        var problems: [String] = []
        if result.completed != expectedRequests {
            problems.append("measured \(result.completed) requests, expected \(expectedRequests)")
        }
        if !result.conservation.holds {
            problems.append("conservation violated: \(result.conservation)")
        }
        let throughput = Double(result.completed) / result.measuredSeconds
        let little = throughput * result.latency.mean
        if abs(result.meanInSystem - little) > 0.10 * max(little, 1e-9) {
            problems.append("Little's law: L = \(result.meanInSystem) but λW = \(little)")
        }
        for output in outputs {
            guard let analytic = output.analytic else { continue }
            let tolerance = max(6 * (output.standardError ?? 0), output.relativeFloor * abs(analytic))
            if !(abs(output.estimate - analytic) <= tolerance) {
                problems.append("\(output.name) = \(output.estimate), analytic \(analytic), tolerance \(tolerance)")
            }
        }
        return problems
    }
}
