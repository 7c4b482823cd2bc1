// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Results
import ScenarioModel

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

    /// Node groups: a group's arrivals are its members' sum; and when the deployment's first
    /// stage runs `local` on the group every workload comes from uniformly, member i's
    /// arrivals are Binomial(A, 1/N) given the group's A: each must lie within 6 standard
    /// deviations, √(A·(1/N)(1 − 1/N)), of A/N (plus 1 for rounding) — a broken spread or
    /// `local` selection misses by far more.
    static func groupProblems(result: ReplicationResult, config: ScenarioConfig) -> [String] {
        var problems: [String] = []
        for node in result.nodes {
            guard let members = node.memberArrivals else { continue }
            if members.reduce(0, +) != node.arrivals {
                problems.append("group \(node.name): members' arrivals sum to \(members.reduce(0, +)), not \(node.arrivals)")
            }
            guard let first = config.deployment.placements.first, first.node == node.name, first.select == .local,
                  config.workloads.allSatisfy({ $0.source == node.name && $0.sourceWeights == nil }) else { continue }
            let p = 1 / Double(members.count), total = Double(node.arrivals)
            let tolerance = 6 * (total * p * (1 - p)).squareRoot() + 1
            if let worst = members.max(by: { abs(Double($0) - total * p) < abs(Double($1) - total * p) }),
               abs(Double(worst) - total * p) > tolerance {
                problems.append("group \(node.name): a member has \(worst) arrivals, expected \(total * p) ± \(tolerance)")
            }
        }
        return problems
    }
}
