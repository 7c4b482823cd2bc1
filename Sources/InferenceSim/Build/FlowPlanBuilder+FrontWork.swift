// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

extension FlowPlanBuilder {
    /// A collaborative deployment's `dispatchWork`, `fusion.work`, `sendWork` and
    /// `fusion.readWork` as stages at their nodes' stations (the station a placement on the
    /// node uses, or a new one: on the node's shared host, processor sharing, or FIFO workers),
    /// each drawn from its own stream (`dispatch-work`, `fusion-work`, `send-work`,
    /// `read-work`) and divided by the speed of the node's power mode, as a model's service
    /// time there; nil when the deployment has none of them.
    mutating func frontWork(flow: RequestFlow, engine: Engine) throws -> FlowPlan.FrontWork? {
        guard case .collaborative(let spec) = config.deployment,
              spec.dispatchWork != nil || spec.fusion.work != nil || spec.sendWork != nil || spec.fusion.readWork != nil else {
            return nil
        }
        return FlowPlan.FrontWork(
            dispatch: try spec.dispatchWork.map {
                try frontStage($0, node: spec.dispatchNode, stream: "dispatch-work", flow: flow, engine: engine)
            },
            fusion: try spec.fusion.work.map {
                try frontStage($0, node: spec.fuseAt, stream: "fusion-work", flow: flow, engine: engine)
            },
            send: try spec.sendWork.map {
                try frontStage($0, node: spec.dispatchNode, stream: "send-work", flow: flow, engine: engine)
            },
            read: try spec.fusion.readWork.map {
                try frontStage($0, node: spec.fuseAt, stream: "read-work", flow: flow, engine: engine)
            })
    }

    private mutating func frontStage(_ work: Distribution, node name: String, stream: String, flow: RequestFlow,
                                     engine: Engine) throws -> ServiceStage {
        let node = try find(node: name)
        let sampler: Sampler
        do { sampler = try Sampler(work) } catch { throw SimulationBuildError("`\(stream)` of node `\(name)`: \(error)") }
        let random = RandomStream(seed: config.seed, replication: replication, name: stream)
        if batchStations.contains(where: { $0.node.name == name }) || node.count != nil || node.autoscaling != nil {
            throw SimulationBuildError("node `\(name)`: a fan-out's front work is served on a single FIFO, processor-sharing or hosted station")
        }
        if config.hardware.first(where: { $0.name == node.hardware })?.thermal != nil {
            // Throttling lives in a batching station's device state, which these stations lack.
            throw SimulationBuildError("node `\(name)`: thermal throttling is not simulated for a fan-out's front work")
        }
        let scale = 1 / (try speed(of: node))  // CPU time on the node, slowed by its power mode like a model's
        if let hosted = try hostedStation(for: node, flow: flow, engine: engine) {
            return ServiceStage(sampler: sampler, stream: random, scale: scale, hostedStation: hosted)
        }
        if let sharing = try sharingStation(for: node, flow: flow, engine: engine) {
            return ServiceStage(sampler: sampler, stream: random, scale: scale, sharingStation: sharing)
        }
        try checkRunsModels(node)
        return ServiceStage(sampler: sampler, stream: random, scale: scale,
                            station: try station(for: node, flow: flow, engine: engine))
    }
}
