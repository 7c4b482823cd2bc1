// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// `single` and `pipeline`: stages in series (runtime shape `chain`): source → stage 0 → … →
/// stage n−1 → source. A single deployment is a pipeline of one stage.
struct PipelineKind: DeploymentKind {
    var stages: [Placement]

    func route(_ legs: RouteLegs) throws -> DeploymentRoute {
        let last = legs.nodes.count - 1
        return try Self.chainRoute(legs, shape: .chain) { source in
            [try legs.leg(placement: last, from: legs.nodes[last], to: source, isResponse: true)]
        }
    }

    /// The legs of requests that go through the stages in order: each workload's entry to stage
    /// 0, stage k−1 → stage k, and the response legs `responses` gives per workload source.
    static func chainRoute(_ legs: RouteLegs, shape: FlowPlan.Shape,
                           responses: (_ source: String) throws -> [Transport.Leg]) throws -> DeploymentRoute {
        let nodes = legs.nodes
        var entry: [Transport.Leg] = []
        var responseLegs: [[Transport.Leg]] = []
        for workload in legs.workloads {
            let source = workload.source ?? nodes[0]
            entry.append(try legs.leg(placement: 0, from: source, to: nodes[0], isResponse: false))
            responseLegs.append(try responses(source))
        }
        let forward = try nodes.indices.map { k in
            k == 0 ? entry[0] : try legs.leg(placement: k, from: nodes[k - 1], to: nodes[k], isResponse: false)
        }
        let pools = legs.workloads.indices.map { w in
            legs.builder.poolSite(entry[w], from: legs.workloads[w].source ?? nodes[0], to: nodes[0], via: legs.vias[0])
        }
        return DeploymentRoute(shape: shape, entryLegs: entry, forwardLegs: forward, responseLegs: responseLegs,
                               entryPoolSites: pools)
    }

    func addMessages(to request: inout RequestMessages) {
        let outputs = request.outputs
        let source = request.source ?? stages[0].node
        request.add(source, stages[0].node, stages[0], response: false, request.payload)
        for k in stages.indices.dropFirst() {
            request.add(stages[k - 1].node, stages[k].node, stages[k], response: false, outputs[k - 1])
        }
        request.add(stages[stages.count - 1].node, source, stages[stages.count - 1], response: true, outputs[stages.count - 1])
    }

    /// Every stage's time: the sum of the stage means, the largest stage quantile.
    func latencyLowerBound(stages: [Double], isMean: Bool) -> Double? {
        isMean ? stages.reduce(0, +) : stages.max()
    }
}
