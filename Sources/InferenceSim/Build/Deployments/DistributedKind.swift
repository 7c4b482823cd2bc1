// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// `distributed` (runtime shape `fanOut`): one request's work is split over parts by their
/// shares (`DeploymentSpec.workShares` scales each part's service time, payload and answer)
/// and merged at the aggregator once every part is in.
struct DistributedKind: DeploymentKind {
    var spec: DistributedSpec

    private var fanOut: FanOutRoute { FanOutRoute(dispatch: spec.splitFrom ?? spec.aggregator, join: spec.aggregator) }

    func route(_ legs: RouteLegs) throws -> DeploymentRoute {
        let parts = spec.parts.count
        return try fanOut.route(legs) {
            try legs.builder.joinRule(deadline: nil, quorum: parts, failOnMiss: false, cost: spec.mergeCost,
                                      stream: "merge", branches: parts)
        }
    }

    func addMessages(to request: inout RequestMessages) {
        fanOut.addMessages(to: &request, shares: spec.parts.map(\.share))
    }

    /// The merged answer of the parts, read as the mean of their answers (an assumption:
    /// docs/accuracy.md).
    func answerFusion(classes: Int) throws -> AnswerFusion? {
        try AnswerFusion(method: .mean, classes: classes, branches: spec.parts.count)
    }

    /// Every part's time.
    func latencyLowerBound(stages: [Double], isMean: Bool) -> Double? { stages.max() }
}
