// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let nodeKeys = ["kind", "hardware", "powerMode", "workers", "memory", "price", "instances", "serviceTime", "autoscaling",
                           "persistence", "ackLoss", "redeliveryAfter", "onMemoryFull", "coldStart", "spot", "count",
                           "concurrency", "wakeUp", "host", "slowPeriods"]
    /// Largest number of workers on one node (a guard against typos).
    static let maxWorkers = 100_000
    /// Largest number of instances of one cloud pool (a guard against typos).
    static let maxInstances = 100_000

    /// `nodes: {NAME: {kind, hardware, powerMode, workers, memory, price, instances,
    /// serviceTime, autoscaling, onMemoryFull, coldStart, spot, count, concurrency, wakeUp, host, slowPeriods}}`, in file
    /// order. `concurrency` is decoded by `decodeNodeConcurrency`, `wakeUp` by `decodeNodeWakeUp`,
    /// `host` by `decodeNodeHost` (the `hosts:` section is decoded first). `count`
    /// makes the node a group of identical members (`decodeGroupCount`). `workers` defaults to the hardware's, else
    /// 1; `instances` (cloud only) to 1, or to autoscaling's `min`; `serviceTime` is a broker's
    /// time per message; `autoscaling` (cloud only) is decoded by `decodeAutoscaling`.
    mutating func decodeNodes(_ node: ScenarioNode, path: KeyPath) -> [NodeSpec]? {
        guard let entries = namedEntries(node, path: path, what: "node") else { return nil }
        references.nodes = entries.map { .init(name: $0.name, node: $0.entry.key, path: path.appending($0.name)) }
        let before = log.count
        var nodes: [NodeSpec] = []
        for (name, entry) in entries {
            let nodeName = name
            let nodePath = path.appending(name)
            guard let reader = MappingReader(entry.value, path: nodePath, keys: Self.nodeKeys, log: &log) else { continue }
            let itemBefore = log.count
            let kind = reader.required("kind", log: &log, hint: "one of \(NodeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                .flatMap { choice($0, path: nodePath.appending("kind"), among: NodeKind.allCases.map(\.rawValue), what: "node kind") }
                .flatMap(NodeKind.init(rawValue:))
            if let kind { references.nodeKinds[name] = kind }
            let hardware = reader["hardware"].flatMap { value -> String? in
                guard let name = string(value, path: nodePath.appending("hardware")) else { return nil }
                references.hardwareUses.append(.init(name: name, node: value, path: nodePath.appending("hardware")))
                references.nodeHardware[nodeName] = name
                return name
            }
            let hardwareSpec = hardware.flatMap { references.hardwareSpecs[$0] }
            var spec = NodeSpec(name: name, kind: kind ?? .server, workers: hardwareSpec?.workers ?? 1, hardware: hardware)
            if let value = reader["workers"] {
                if kind == .client {
                    log.error("a client sends requests and runs no models, so it has no workers", at: reader.keyNode("workers")!,
                              path: nodePath.appending("workers"), hint: "remove `workers`, or make the node a `server`")
                } else if let workers = integer(value, path: nodePath.appending("workers"), in: 1...Self.maxWorkers) {
                    spec.workers = workers
                }
            }
            if let value = reader["powerMode"] {
                spec.powerMode = decodePowerModeName(value, path: nodePath.appending("powerMode"), hardware: hardware)
            }
            spec.memoryBytes = reader["memory"].flatMap { quantity($0, path: nodePath.appending("memory"), kind: .size, positive: true) }
            spec.pricePerHour = reader["price"].flatMap { quantity($0, path: nodePath.appending("price"), kind: .moneyRate, positive: false) }
            if let value = reader["instances"] {
                if let kind, kind != .cloud {
                    log.error("only `cloud` nodes have instances; `\(name)` is a `\(kind.rawValue)` node", at: reader.keyNode("instances")!,
                              path: nodePath.appending("instances"), hint: "use `workers` for parallelism inside one node")
                } else if let instances = integer(value, path: nodePath.appending("instances"), in: 1...Self.maxInstances) {
                    spec.instances = instances
                }
            }
            if let value = reader["serviceTime"] {
                if let kind, kind != .broker {
                    log.error("only `broker` nodes have a `serviceTime` (the time to hand on one message); `\(name)` is a `\(kind.rawValue)` node",
                              at: reader.keyNode("serviceTime")!, path: nodePath.appending("serviceTime"),
                              hint: "a model's service time belongs under `models`")
                } else {
                    spec.brokerServiceTime = distribution(value, path: nodePath.appending("serviceTime"), kind: .time)
                }
            }
            for key in ["persistence", "ackLoss", "redeliveryAfter"] {
                guard let value = reader[key] else { continue }
                if let kind, kind != .broker {
                    log.error("only `broker` nodes have `\(key)`; `\(name)` is a `\(kind.rawValue)` node",
                              at: reader.keyNode(key)!, path: nodePath.appending(key),
                              hint: "message persistence and redelivery are the broker's")
                    continue
                }
                let path = nodePath.appending(key)
                switch key {
                case "persistence":
                    spec.brokerDelivery.persistence = distribution(value, path: path, kind: .time)
                case "ackLoss":
                    spec.brokerDelivery.ackLoss = number(value, path: path, atLeast: 0, atMost: 0.99,
                                                         why: "ackLoss is the probability that one acknowledgement is lost; every redelivery is simulated, and 0.99 already means 100 deliveries per message on average") ?? 0
                default:
                    spec.brokerDelivery.redeliveryAfter = quantity(value, path: path, kind: .time, positive: true)
                        ?? BrokerDelivery.defaultRedeliveryAfter
                }
            }
            if let value = reader["autoscaling"] {
                if let kind, kind != .cloud {
                    log.error("only `cloud` nodes autoscale; `\(name)` is a `\(kind.rawValue)` node", at: reader.keyNode("autoscaling")!,
                              path: nodePath.appending("autoscaling"), hint: "make the node `kind: cloud`, or remove `autoscaling`")
                } else if let policy = decodeAutoscaling(value, path: nodePath.appending("autoscaling"), pool: name,
                                                         instances: reader["instances"] == nil ? nil : spec.instances) {
                    spec.autoscaling = policy
                    if reader["instances"] == nil { spec.instances = policy.min }
                }
            }
            if let value = reader["onMemoryFull"],
               let policy = choice(value, path: nodePath.appending("onMemoryFull"),
                                   among: MemoryFullPolicy.allCases.map(\.rawValue), what: "memory policy") {
                spec.onMemoryFull = MemoryFullPolicy(rawValue: policy) ?? .wait
            }
            if let value = reader["spot"] {
                if let kind, kind != .cloud {
                    log.error("only `cloud` pools have spot instances; `\(name)` is a `\(kind.rawValue)` node", at: reader.keyNode("spot")!,
                              path: nodePath.appending("spot"), hint: "make the node `kind: cloud`, or remove `spot`")
                } else if reader["autoscaling"] != nil {
                    log.error("spot instances in an autoscaled pool are not simulated", at: reader.keyNode("spot")!,
                              path: nodePath.appending("spot"), hint: "give the pool a fixed `instances` count, or remove `spot`")
                } else {
                    spec.spot = decodeSpot(value, path: nodePath.appending("spot"))
                }
            }
            if let value = reader["coldStart"] {
                if let kind, Self.kindsWithoutModels.contains(kind) {
                    log.error("`\(name)` is a `\(kind.rawValue)` node, which runs no models to load", at: reader.keyNode("coldStart")!,
                              path: nodePath.appending("coldStart"), hint: "remove `coldStart`")
                } else {
                    references.coldStartSetting[name] = .init(name: name, node: value, path: nodePath.appending("coldStart"))
                    spec.coldStart = decodeColdStart(value, path: nodePath.appending("coldStart"), owner: name)
                }
            }
            if let value = reader["count"] {
                spec.count = decodeGroupCount(value, reader: reader, kind: kind, path: nodePath.appending("count"), name: name)
            }
            if let concurrency = decodeNodeConcurrency(reader: reader, kind: kind, path: nodePath) {
                spec.concurrency = concurrency
                if case .processorSharing(let cores, _, _) = concurrency { spec.workers = cores }  // one instance of `cores`
            }
            spec.wakeUp = decodeNodeWakeUp(reader: reader, kind: kind, sharesCores: spec.concurrency != nil, path: nodePath)
            spec.host = decodeNodeHost(reader: reader, kind: kind, concurrency: spec.concurrency, path: nodePath)
            spec.slowPeriods = decodeNodeSlowPeriods(reader: reader, kind: kind, sharesCores: spec.concurrency != nil, path: nodePath)
            if let setting = reader["memory"].map({ (node: $0, key: "memory") }) ?? reader["hardware"].map({ (node: $0, key: "hardware") }) {
                references.memorySetting[name] = .init(name: name, node: setting.node, path: nodePath.appending(setting.key))
            }
            if kind != nil, log.count == itemBefore { nodes.append(spec) }
        }
        return log.count == before ? nodes : nil
    }

    /// A power mode's name, which must be one of the node's hardware's modes (when that
    /// hardware decoded; an unknown hardware is reported on its own).
    private mutating func decodePowerModeName(_ node: ScenarioNode, path: KeyPath, hardware: String?) -> String? {
        guard let name = string(node, path: path) else { return nil }
        guard let hardware else {
            log.error("a power mode needs the node's `hardware`, whose `powerModes` define it", at: node, path: path,
                      hint: "add `hardware: NAME` to the node")
            return nil
        }
        guard let spec = references.hardwareSpecs[hardware] else { return name }
        let modes = spec.powerModes.map(\.name)
        guard modes.contains(name) else {
            log.error("unknown power mode `\(name)` of hardware `\(hardware)`" + Suggestion.didYouMean(name, among: modes), at: node,
                      path: path, hint: modes.isEmpty ? "`\(hardware)` declares no `powerModes`" : "modes of `\(hardware)`: \(modes.joined(separator: ", "))")
            return nil
        }
        return name
    }
}
