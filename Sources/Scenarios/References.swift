// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The names a scenario declares and the places that refer to them, gathered while decoding
/// and checked once every section has been read (`ScenarioDecoder+Checks.swift`).
struct References {
    /// A name and the node where it is written.
    struct Name {
        var name: String
        var node: ScenarioNode
        var path: KeyPath
    }

    /// A placement as written: its model, its node and its protocol, each located.
    struct LocatedPlacement {
        var model: Name
        var on: Name
        var via: Name?
        /// `select` of a placement on a node group.
        var select: Name? = nil
        /// `call.callOverheadScaling` of the placement, where written.
        var overheadScaling: Name? = nil
    }

    /// Two nodes that exchange messages, and why; checked for a chain of links when the
    /// scenario has links. Reported at `at` (the later of the two mentions).
    struct Talk {
        var a: String
        var b: String
        var why: String
        var at: Name
    }

    /// Declared hardware, models and nodes (nil if the section could not be read).
    var hardware: [Name]?
    var models: [Name]?
    var nodes: [Name]?
    /// The kind of every node whose `kind` could be read, even if other keys of it could not.
    var nodeKinds: [String: NodeKind] = [:]
    /// Each node's `hardware` as written.
    var nodeHardware: [String: String] = [:]
    /// Each model's service-time keys as written: whether it has `serviceTime`, and the
    /// hardware names under `serviceTimeOn`.
    var serviceTimes: [String: (hasDefault: Bool, hardware: Set<String>)] = [:]
    /// Hardware that decoded without problems, by name (defaults for nodes, power modes).
    var hardwareSpecs: [String: HardwareSpec] = [:]
    /// The names under `hosts:`, in file order, and the cores of each host that decoded.
    var hostNames: [String] = []
    var hostCores: [String: Int] = [:]
    /// Hardware names used by nodes and by `serviceTimeOn`.
    var hardwareUses: [Name] = []
    /// Node names used anywhere: placements, links, routes, workloads, fusion and split nodes.
    var nodeUses: [Name] = []
    /// The deployment's placements, in file order.
    var placements: [LocatedPlacement] = []
    /// Node pairs the deployment needs connected.
    var talks: [Talk] = []
    /// Autoscaling `pullFrom` names: each must be a `repository` node.
    var repositoryUses: [Name] = []
    /// Models a node's `coldStart.resident` lists, with the node.
    var residentModels: [(node: String, model: Name)] = []
    /// Where each node's `coldStart` is written.
    var coldStartSetting: [String: Name] = [:]
    /// Each workload's `from`, by workload index.
    var sources: [Name] = []
    /// Per node, the value that sets its memory (`memory`, else `hardware`), where a memory
    /// overflow is reported.
    var memorySetting: [String: Name] = [:]
    /// Node groups' sizes (`count`), by name.
    var groupSizes: [String: Int] = [:]
    /// Each workload's `from` as written (nil without one), in file order.
    var workloadSources: [Name?] = []
    /// Workloads' `weights` (source-member weights): how many, where, and the workload's `from`.
    var sourceWeights: [(count: Int, at: Name, source: String?)] = []
    /// A collaborative deployment's front work key (`dispatchWork`, `sendWork`, `fusion.work`,
    /// `fusion.readWork`), located, and the node that serves it (checked in
    /// `ScenarioDecoder+FrontWork.swift`).
    struct FrontWork {
        var node: String
        var key: Name
    }
    var frontWorks: [FrontWork] = []
    /// A placement's `call: {serverWorkStarts: withSend}`, located, and its pipeline stage (nil:
    /// not a pipeline stage; checked in `ScenarioDecoder+ReceiptWithSend.swift`).
    struct ReceiptWithSend {
        var stage: Int?
        var key: Name
    }
    var receiptsWithSend: [ReceiptWithSend] = []
    /// Where each `protocols.<p>.callOverheadScaling` is written (checked in
    /// `ScenarioDecoder+CallOverheadScaling.swift`).
    var protocolOverheadScalings: [CallProtocol: Name] = [:]
    /// `fusion.recallAt`, which needs every placed model to replay a prediction log.
    var recallAt: Name?
}
