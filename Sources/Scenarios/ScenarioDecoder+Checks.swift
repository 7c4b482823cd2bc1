// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Node kinds that run no models.
    static let kindsWithoutModels: Set<NodeKind> = [.client, .broker, .repository]

    /// Names used across sections exist (hardware, models, nodes); every model declared in the
    /// scenario file itself is placed somewhere (only when the deployment itself could be
    /// read). Models from included catalogs may stay unplaced: a catalog offers choices.
    mutating func checkReferences(deploymentDecoded: Bool) {
        check(uses: references.hardwareUses, against: references.hardware, what: "hardware", section: "hardware")
        check(uses: references.placements.map(\.model), against: references.models, what: "model", section: "models")
        check(uses: references.nodeUses, against: references.nodes, what: "node", section: "nodes")
        for use in references.repositoryUses {
            guard let kind = references.nodeKinds[use.name], kind != .repository else { continue }
            log.error("an instance pulls its image from a `repository` node; `\(use.name)` is a `\(kind.rawValue)` node",
                      at: use.node, path: use.path, hint: "declare the repository as `kind: repository`")
        }
        if deploymentDecoded, let models = references.models {
            let placed = Set(references.placements.map(\.model.name))
            let ownFiles = [scenarioFile, SourceLocation.overrideFile]
            for model in models where !placed.contains(model.name) && ownFiles.contains(model.node.location.file) {
                log.error("model `\(model.name)` is declared but placed nowhere", at: model.node, path: model.path,
                          hint: "place it in `deployment` or remove it")
            }
        }
    }

    private mutating func check(uses: [References.Name], against declared: [References.Name]?, what: String, section: String) {
        guard let declared else { return }
        let names = declared.map(\.name)
        for use in uses where !names.contains(use.name) {
            log.error("unknown \(what) `\(use.name)`" + Suggestion.didYouMean(use.name, among: names), at: use.node, path: use.path,
                      hint: names.isEmpty ? "declare it under `\(section)`" : "declared \(section): \(names.joined(separator: ", "))")
        }
    }

    /// Checks of the deployment against the other sections, each run only when the sections
    /// it needs decoded: placements on nodes that run models, a service time for every
    /// placement, one broker for `via: queue`, models fitting in their node's memory, and a
    /// chain of links between nodes that talk.
    mutating func checkDeployment(_ deployment: DeploymentSpec, hardware: [HardwareSpec]?, models: [ModelSpec]?,
                                  nodes: [NodeSpec]?, links: [LinkSpec]?) {
        if references.nodes != nil {
            checkPlacementNodes()
            if references.models != nil { checkServiceTimes() }
        }
        if let nodes, let hardware, let models {
            checkMemory(nodes: nodes, hardware: hardware, models: models)
            checkActivationMemory(nodes: nodes, hardware: hardware, models: models)
            checkColdStarts(nodes: nodes, hardware: hardware, models: models)
            checkSharedCorePlacements(nodes: nodes, hardware: hardware, models: models)
            checkFIFOWorkerPlacements(key: "wakeUp", has: { $0.wakeUp != nil }, nodes: nodes, hardware: hardware, models: models)
            checkFIFOWorkerPlacements(key: "slowPeriods", has: { $0.slowPeriods != nil }, nodes: nodes, hardware: hardware,
                                      models: models)
        }
        if let nodes, let models, !references.frontWorks.isEmpty {
            checkFrontWork(nodes: nodes, models: models, hardware: hardware ?? [], deployment: deployment)
        }
        if let models {
            checkGroupScaling(models: models)
            checkAccuracy(deployment, models: models)
        }
        if let links, !links.isEmpty, references.nodes != nil {
            checkConnectivity(deployment, links: links)
        }
    }

    /// No placement on a client, broker or repository; `via: queue` needs exactly one broker.
    /// Uses the node kinds that could be read, so that these problems are reported even when
    /// some node has another problem.
    private mutating func checkPlacementNodes() {
        let brokers = (references.nodes ?? []).map(\.name).filter { references.nodeKinds[$0] == .broker }
        for placement in references.placements {
            if let kind = references.nodeKinds[placement.on.name], Self.kindsWithoutModels.contains(kind) {
                log.error("`\(placement.on.name)` is a `\(kind.rawValue)` node, which runs no models", at: placement.on.node,
                          path: placement.on.path, hint: "place models on `server`, `cloud` or `edge` nodes")
            }
            if let via = placement.via, via.name == CallProtocol.queue.rawValue, brokers.count != 1 {
                log.error(brokers.isEmpty ? "`via: queue` needs a `broker` node, and the scenario has none"
                              : "`via: queue` needs exactly one `broker` node, and the scenario has \(brokers.count): \(brokers.joined(separator: ", "))",
                          at: via.node, path: via.path,
                          hint: brokers.isEmpty ? "declare one, e.g. `mq: {kind: broker, serviceTime: 300us}`" : "keep one broker, or call with `rest` or `grpc`")
            }
        }
    }

    /// Every placement finds a service time: the model's entry for the node's hardware, or
    /// its `serviceTime`. Uses the keys as written, so that it runs even when some model or
    /// node has another problem.
    private mutating func checkServiceTimes() {
        for placement in references.placements {
            let model = placement.model.name, node = placement.on.name
            guard let written = references.serviceTimes[model], let kind = references.nodeKinds[node],
                  !Self.kindsWithoutModels.contains(kind), !written.hasDefault
            else { continue }
            let hardware = references.nodeHardware[node]
            if let hardware, written.hardware.contains(hardware) { continue }
            let on = hardware.map { "`\(node)` (hardware `\($0)`)" } ?? "`\(node)`, which has no hardware"
            log.error("model `\(model)` has no service time on \(on)", at: placement.on.node, path: placement.on.path,
                      hint: hardware.map { "add `serviceTimeOn: {\($0): ...}` or a `serviceTime` to model `\(model)`" }
                          ?? "add a `serviceTime` to model `\(model)`, or give `\(node)` a hardware it has an entry for")
        }
    }

    /// The models placed on a node (each counted once) fit in the node's memory, or its
    /// hardware's.
    private mutating func checkMemory(nodes: [NodeSpec], hardware: [HardwareSpec], models: [ModelSpec]) {
        for node in nodes {
            guard let capacity = node.memoryBytes ?? node.hardware.flatMap({ name in hardware.first { $0.name == name }?.memoryBytes }),
                  let setting = references.memorySetting[node.name]
            else { continue }
            if node.coldStart != nil {
                checkEachModelFits(node: node, capacity: capacity, setting: setting, models: models)
                continue
            }
            var placed: [String] = []
            for placement in references.placements where placement.on.name == node.name && !placed.contains(placement.model.name) {
                placed.append(placement.model.name)
            }
            let sized = placed.compactMap { name in
                models.first { $0.name == name }?.memoryBytes.map { (name: name, bytes: $0) }
            }
            let total = sized.reduce(0) { $0 + $1.bytes }
            guard total > capacity else { continue }
            let parts = sized.map { "\($0.name) \(Self.formatBytes($0.bytes))" }.joined(separator: " + ")
            log.error("models placed on `\(node.name)` need \(Self.formatBytes(total)) (\(parts)) but it has \(Self.formatBytes(capacity))",
                      at: setting.node, path: setting.path, hint: "give the node more `memory`, choose larger hardware, or place a model elsewhere")
        }
    }

    /// With cold starts the models need not fit together, but each must fit alone.
    private mutating func checkEachModelFits(node: NodeSpec, capacity: Double, setting: References.Name, models: [ModelSpec]) {
        var seen: Set<String> = []
        for placement in references.placements where placement.on.name == node.name && seen.insert(placement.model.name).inserted {
            guard let bytes = models.first(where: { $0.name == placement.model.name })?.memoryBytes, bytes > capacity else { continue }
            log.error("model `\(placement.model.name)` needs \(Self.formatBytes(bytes)) but `\(node.name)` has \(Self.formatBytes(capacity)), even with every other model evicted",
                      at: setting.node, path: setting.path, hint: "give the node more `memory`, choose larger hardware, or place the model elsewhere")
        }
    }

    /// Accuracy is all or nothing among the placed models (a fused answer needs every
    /// model's), with one number of classes; a cascade needs it everywhere (it escalates on
    /// each answer's confidence).
    private mutating func checkAccuracy(_ deployment: DeploymentSpec, models: [ModelSpec]) {
        let placed = references.placements.compactMap { placement in
            models.first { $0.name == placement.model.name }.map { (placement: placement, model: $0) }
        }
        let defining = placed.filter { $0.model.accuracy != nil }
        if let recallAt = references.recallAt, placed.isEmpty || placed.contains(where: { $0.model.accuracy?.log == nil }) {
            log.error("recall@k ranks the models' full probability vectors: every placed model's accuracy must be a prediction `log`",
                      at: recallAt.node, path: recallAt.path,
                      hint: "give each placed model `accuracy: {log: its-predictions.csv}`, or remove `recallAt`")
        }
        if defining.isEmpty {
            guard deployment.routesOnConfidence else { return }
            for entry in placed {
                log.error("a cascade escalates on the confidence of each stage's answer, so model `\(entry.model.name)` needs `accuracy`",
                          at: entry.placement.model.node, path: entry.placement.model.path,
                          hint: "add e.g. `accuracy: {top1: 0.76, classes: 1000}` to model `\(entry.model.name)`")
            }
            return
        }
        let example = defining[0].model
        for entry in placed where entry.model.accuracy == nil {
            log.error("model `\(entry.model.name)` has no `accuracy` but `\(example.name)` does: either every placed model defines accuracy or none does",
                      at: entry.placement.model.node, path: entry.placement.model.path,
                      hint: "add `accuracy: {top1: ..., classes: \(example.accuracy!.classes)}` to model `\(entry.model.name)`")
        }
        let classes = example.accuracy!.classes
        for entry in defining where entry.model.accuracy!.classes != classes {
            log.error("model `\(entry.model.name)` has \(entry.model.accuracy!.classes) classes but `\(example.name)` has \(classes): fused models must answer the same question",
                      at: entry.placement.model.node, path: entry.placement.model.path,
                      hint: "give every placed model the same `accuracy.classes`")
        }
        checkPredictionLogs(defining)
    }

    /// Replay needs every placed model's accuracy to be a prediction log, and all of them over
    /// the same samples with the same labels (`PredictionReplay`).
    private mutating func checkPredictionLogs(_ placed: [(placement: References.LocatedPlacement, model: ModelSpec)]) {
        guard let first = placed.first(where: { $0.model.accuracy?.log != nil }), let reference = first.model.accuracy?.log
        else { return }
        let labels = Dictionary(zip(reference.sampleIDs, reference.labels), uniquingKeysWith: { a, _ in a })
        for entry in placed {
            guard let predictions = entry.model.accuracy?.log else {
                log.error("model `\(entry.model.name)` has synthetic accuracy but `\(first.model.name)` replays a prediction log: either every placed model's accuracy is a `log` or none is",
                          at: entry.placement.model.node, path: entry.placement.model.path,
                          hint: "give model `\(entry.model.name)` `accuracy: {log: its-predictions.csv}` over the same samples")
                continue
            }
            guard entry.model.name != first.model.name, predictions.classes == reference.classes else { continue }
            var mismatch: String?
            if predictions.count != reference.count {
                mismatch = "it has \(predictions.count) samples, `\(reference.source)` has \(reference.count)"
            } else if let (sample, label) = zip(predictions.sampleIDs, predictions.labels).first(where: { labels[$0.0] != $0.1 }) {
                if let other = labels[sample] {
                    mismatch = "sample \(sample) has label \(label), but \(other) in `\(reference.source)`"
                } else {
                    mismatch = "sample \(sample) is not in `\(reference.source)`"
                }
            }
            if let mismatch {
                log.error("the prediction log `\(predictions.source)` of model `\(entry.model.name)` does not cover the samples of `\(first.model.name)`'s: \(mismatch)",
                          at: entry.placement.model.node, path: entry.placement.model.path,
                          hint: "every fused model's log must hold the same sample ids with the same labels")
            }
        }
    }

    /// Bytes for messages, in decimal units with at most two decimals: `36 GB`, `1.5 MB`.
    static func formatBytes(_ bytes: Double) -> String {
        let units: [(String, Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)]
        let (unit, factor) = units.first { bytes >= $0.1 } ?? ("B", 1)
        let scaled = (bytes / factor * 100).rounded() / 100
        return "\(format(scaled)) \(unit)"
    }

    /// When the scenario has links, every pair of nodes that exchange messages is joined by a
    /// chain of links: workload sources with the deployment's entry and exit nodes, and the
    /// pairs the deployment recorded (`References.talks`).
    private mutating func checkConnectivity(_ deployment: DeploymentSpec, links: [LinkSpec]) {
        var neighbours: [String: [String]] = [:]
        for link in links {
            neighbours[link.a, default: []].append(link.b)
            neighbours[link.b, default: []].append(link.a)
        }
        let declared = Set((references.nodes ?? []).map(\.name))
        var components: [String: Int] = [:]
        for start in declared.sorted() where components[start] == nil {
            let id = components.count
            var queue = [start]
            components[start] = id
            while let next = queue.popLast() {
                for other in neighbours[next, default: []] where components[other] == nil {
                    components[other] = id
                    queue.append(other)
                }
            }
        }
        var talks = references.talks
        let (entries, exits) = deployment.entryAndExitNodes
        for source in references.sources {
            for entry in entries {
                talks.append(.init(a: source.name, b: entry, why: "requests from `\(source.name)` enter the deployment at `\(entry)`", at: source))
            }
            for exit in exits where !entries.contains(exit) {
                talks.append(.init(a: exit, b: source.name, why: "answers return from `\(exit)` to `\(source.name)`", at: source))
            }
        }
        for talk in talks where talk.a != talk.b && declared.contains(talk.a) && declared.contains(talk.b)
            && components[talk.a] != components[talk.b] {
            log.error("no route between `\(talk.a)` and `\(talk.b)`: no chain of links joins them, but \(talk.why)", at: talk.at.node,
                      path: talk.at.path, hint: "add a link such as `{between: [\(talk.a), \(talk.b)], latency: 1ms}`")
        }
    }
}
