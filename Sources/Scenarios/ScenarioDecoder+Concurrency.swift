// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let concurrencyKeys = ["model", "cores", "maxInFlight", "capacity"]
    /// The values of `concurrency.model`.
    static let concurrencyModels = ["fifo", "processorSharing"]
    /// Largest thread pool of one node (a guard against typos).
    static let maxInFlightLimit = 1_000_000

    /// A node's `concurrency: {model: fifo | processorSharing, cores, maxInFlight, capacity}`.
    /// `fifo` is the default (FIFO workers; nil) and takes no other key; `processorSharing`
    /// needs `cores` (1 … maxWorkers) and takes `maxInFlight` (1 … 1,000,000; default
    /// unlimited) and `capacity` (a number, 0 < capacity ≤ cores: the CPU the pool really
    /// gets; default `cores`). The node's other settings must not contradict it (`checkConcurrency`).
    /// nil for `fifo` and on errors (logged).
    mutating func decodeConcurrency(_ node: ScenarioNode, path: KeyPath) -> ServerConcurrency? {
        guard let reader = MappingReader(node, path: path, keys: Self.concurrencyKeys, log: &log) else { return nil }
        guard let model = reader.required("model", log: &log, hint: "`fifo` (workers, the default) or `processorSharing`")
            .flatMap({ choice($0, path: path.appending("model"), among: Self.concurrencyModels, what: "concurrency model") })
        else { return nil }
        if model == "fifo" {
            for key in ["cores", "maxInFlight", "capacity"] {
                guard let keyNode = reader.keyNode(key) else { continue }
                log.error("`\(key)` belongs to `model: processorSharing`; a `fifo` node's parallelism is its `workers`",
                          at: keyNode, path: path.appending(key), hint: "remove `\(key)`, or use `model: processorSharing`")
            }
            return nil
        }
        let cores = reader.required("cores", log: &log, hint: "the CPU cores the requests in flight share, e.g. `cores: 2`")
            .flatMap { integer($0, path: path.appending("cores"), in: 1...Self.maxWorkers) }
        let limit = reader["maxInFlight"].map { integer($0, path: path.appending("maxInFlight"), in: 1...Self.maxInFlightLimit) }
        let capacity = reader["capacity"].map {
            number($0, path: path.appending("capacity"), atLeast: 0, lowerOpen: true, atMost: cores.map(Double.init),
                   why: "the CPU the pool really gets, in cores, at most its `cores`",
                   hint: "e.g. `capacity: 1.6` when other threads on the host take 0.4 of 2 cores; leave it out for all of them")
        }
        guard let cores, limit ?? 1 != nil, capacity ?? 1 != nil else { return nil }
        return .processorSharing(cores: cores, maxInFlight: (limit ?? nil) ?? Int.max, capacity: capacity ?? nil)
    }

    /// Placements on nodes whose requests share cores — processor-sharing nodes and nodes on a
    /// shared host (`host:`): their models must not batch, declare activation memory or scale
    /// their service time by `inFlight` (a FIFO station's count), and the node's hardware must
    /// have no thermal limit (neither is a batching or a FIFO station). Reported at the
    /// placement's `on`, once per placement.
    mutating func checkSharedCorePlacements(nodes: [NodeSpec], hardware: [HardwareSpec], models: [ModelSpec]) {
        for placement in references.placements {
            guard let node = nodes.first(where: { $0.name == placement.on.name }) else { continue }
            let sharing: (what: String, instead: String)
            if let host = node.host {
                sharing = ("shares the cores of host `\(host)`", "place the model on a node without `host`")
            } else if node.concurrency != nil {
                sharing = ("shares its cores (`concurrency: processorSharing`)", "place the model on a `fifo` node")
            } else {
                continue
            }
            var problems: [String] = []
            if let model = models.first(where: { $0.name == placement.model.name }) {
                if model.batching != nil { problems.append("model `\(model.name)` batches") }
                if (model.activationBytes ?? 0) > 0 { problems.append("model `\(model.name)` declares activation memory") }
                if model.serviceTimeScaling?.variable == .inFlight {
                    problems.append("model `\(model.name)` scales its service time `by: inFlight`")
                }
            }
            if hardware.first(where: { $0.name == node.hardware })?.thermal != nil {
                problems.append("hardware `\(node.hardware!)` has a thermal limit")
            }
            guard !problems.isEmpty else { continue }
            log.error("node `\(node.name)` \(sharing.what), but " + problems.joined(separator: " and ")
                          + ": not simulated together", at: placement.on.node, path: placement.on.path,
                      hint: "\(sharing.instead), or remove `batching`, `activationMemory` or `thermal` (or scale `by: utilization`)")
        }
    }

    /// A node's `concurrency` (`reader` is the node's, `path` the node's): decoded, and checked
    /// against the node's other settings. A processor-sharing node is one server whose
    /// parallelism is `cores`, so it has no `workers`, `instances`, `count`, `autoscaling`,
    /// `spot` or `coldStart`; a node that runs no models has no concurrency at all.
    mutating func decodeNodeConcurrency(reader: MappingReader, kind: NodeKind?, path: KeyPath) -> ServerConcurrency? {
        guard let value = reader["concurrency"], let keyNode = reader.keyNode("concurrency") else { return nil }
        if let kind, Self.kindsWithoutModels.contains(kind) {
            log.error("a `\(kind.rawValue)` node runs no models, so it has no server concurrency", at: keyNode,
                      path: path.appending("concurrency"), hint: "remove `concurrency`")
            return nil
        }
        guard let concurrency = decodeConcurrency(value, path: path.appending("concurrency")) else { return nil }
        let conflicts: [(key: String, hint: String)] = [
            ("workers", "a processor-sharing node's parallelism is `concurrency.cores`: remove `workers`"),
            ("instances", "a pool of several processor-sharing instances is not simulated: remove `instances`"),
            ("count", "processor sharing on node groups is not simulated yet: remove `count`"),
            ("autoscaling", "processor sharing in an autoscaled pool is not simulated: remove `autoscaling`"),
            ("spot", "processor sharing with spot instances is not simulated: remove `spot`"),
            ("coldStart", "processor sharing with model cold starts is not simulated: remove `coldStart`"),
        ]
        for conflict in conflicts {
            guard let node = reader.keyNode(conflict.key) else { continue }
            log.error("`\(conflict.key)` cannot go with `concurrency: {model: processorSharing}`", at: node,
                      path: path.appending(conflict.key), hint: conflict.hint)
        }
        return concurrency
    }
}
