// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// `cascade` (runtime shape `cascade`): source → stage 0; stage k's answer stands when its
/// confidence reaches its threshold, otherwise the input goes on to stage k+1; the answering
/// stage replies to the source.
struct CascadeKind: DeploymentKind {
    var spec: CascadeSpec

    func route(_ legs: RouteLegs) throws -> DeploymentRoute {
        try PipelineKind.chainRoute(legs, shape: .cascade(thresholds: spec.stages.map(\.threshold))) { source in
            try legs.nodes.indices.map { try legs.leg(placement: $0, from: legs.nodes[$0], to: source, isResponse: true) }
        }
    }

    /// The request to the first stage, and the escalations to each later stage whose share of
    /// the requests is known exactly (`CascadeReach`); bounded shares and the answers are left
    /// out, so a link's load stays a lower bound.
    func addMessages(to request: inout RequestMessages) {
        let stages = request.placements
        request.add(request.source ?? stages[0].node, stages[0].node, stages[0], response: false, request.payload)
        for (k, reach) in request.reaches.enumerated().dropFirst() where reach.isExact {
            request.add(stages[k - 1].node, stages[k].node, stages[k], response: false, request.payload, share: reach.share)
        }
    }

    func reaches(_ config: ScenarioConfig) -> [CascadeReach] {
        CascadeReach.cascade(config, thresholds: spec.stages.map(\.threshold))
    }

    /// Every request waits for the first stage.
    func latencyLowerBound(stages: [Double], isMean: Bool) -> Double? { stages[0] }
}
