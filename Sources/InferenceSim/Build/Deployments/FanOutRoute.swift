// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The legs and messages of the runtime shape `fanOut` (collaborative and distributed
/// deployments): source → dispatch node → every branch → join node → source.
struct FanOutRoute {
    /// The node that sends the work to the branches, and the node that joins their answers.
    var dispatch: String
    var join: String

    /// The fan-out's legs, then its join rule (`rule`, built after the legs).
    func route(_ legs: RouteLegs, rule: () throws -> FlowPlan.JoinRule) throws -> DeploymentRoute {
        _ = try legs.builder.find(node: dispatch)
        _ = try legs.builder.find(node: join)
        var entry: [Transport.Leg] = []
        var responses: [[Transport.Leg]] = []
        for workload in legs.workloads {
            let source = workload.source ?? dispatch
            entry.append(try legs.plainLeg(from: source, to: dispatch, isResponse: false))
            responses.append([try legs.plainLeg(from: join, to: source, isResponse: true)])
        }
        let nodes = legs.nodes
        let forward = try nodes.indices.map { try legs.leg(placement: $0, from: dispatch, to: nodes[$0], isResponse: false) }
        let answers = try nodes.indices.map { try legs.leg(placement: $0, from: nodes[$0], to: join, isResponse: true) }
        return DeploymentRoute(
            shape: .fanOut(try rule()), entryLegs: entry, forwardLegs: forward, answerLegs: answers, responseLegs: responses,
            jobShift: FlowPlanBuilder.shift(for: nodes.count),
            entryPoolSites: Array(repeating: nil, count: legs.workloads.count),
            branchPoolSites: nodes.indices.map {
                legs.builder.poolSite(forward[$0], from: dispatch, to: nodes[$0], via: legs.vias[$0])
            })
    }

    /// The request to the dispatch node, every branch's share of it out and its answer to the
    /// join node, the largest answer back to the source.
    func addMessages(to request: inout RequestMessages, shares: [Double]) {
        let source = request.source ?? dispatch
        request.add(source, dispatch, nil, response: false, request.payload)
        for (k, placement) in request.placements.enumerated() {
            request.add(dispatch, placement.node, placement, response: false, request.payload * shares[k])
            request.add(placement.node, join, placement, response: true, request.outputs[k] * shares[k])
        }
        request.add(join, source, nil, response: true, request.outputs.max()!)
    }
}
