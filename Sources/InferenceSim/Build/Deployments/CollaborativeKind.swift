// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// `collaborative` (runtime shape `fanOut`): the same input goes to every branch; the answers
/// are fused at `fuseAt`, when all are in or at the fusion deadline with a quorum.
struct CollaborativeKind: DeploymentKind {
    var spec: CollaborativeSpec

    private var fanOut: FanOutRoute { FanOutRoute(dispatch: spec.dispatchFrom ?? spec.fuseAt, join: spec.fuseAt) }

    func route(_ legs: RouteLegs) throws -> DeploymentRoute {
        let fusion = spec.fusion
        let branches = spec.branches.count
        return try fanOut.route(legs) {
            try legs.builder.joinRule(deadline: fusion.deadline, quorum: fusion.quorum ?? branches,
                                      failOnMiss: fusion.onQuorumMissed == .fail, cost: fusion.cost,
                                      stream: "fusion", branches: branches)
        }
    }

    func addMessages(to request: inout RequestMessages) {
        fanOut.addMessages(to: &request, shares: spec.branches.map { _ in 1 })
    }

    func answerFusion(classes: Int) throws -> AnswerFusion? {
        try AnswerFusion(method: spec.fusion.method, classes: classes, weights: spec.branches.map(\.weight))
    }

    var recallAt: Int? { spec.fusion.recallAt }

    /// Without a deadline every branch's time; with a deadline d, min(d, largest branch
    /// quantile) for percentiles and nothing for the mean.
    func latencyLowerBound(stages: [Double], isMean: Bool) -> Double? {
        guard let deadline = spec.fusion.deadline else { return stages.max() }
        return isMean ? nil : min(deadline, stages.max()!)
    }
}
