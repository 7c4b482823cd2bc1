// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Each deployment kind with the keys its mapping may hold.
    static let deploymentForms: [(kind: String, keys: [String])] = [
        ("single", ["kind"] + placementKeys),
        ("pipeline", ["kind", "stages"]),
        ("collaborative", ["kind", "from", "fuseAt", "branches", "fusion"]),
        ("distributed", ["kind", "from", "aggregator", "parts", "mergeCost"]),
        ("cascade", ["kind", "stages"]),
    ]
    static let deploymentKinds = deploymentForms.map(\.kind)
    static let placementKeys = ["model", "on", "via", "select", "call"]
    static let branchKeys = placementKeys + ["weight"]
    static let partKeys = placementKeys + ["share"]
    static let cascadeStageKeys = placementKeys + ["threshold"]
    static let fusionKeys = ["method", "deadline", "quorum", "onQuorumMissed", "cost", "recallAt"]
    /// How far the shares of a distributed deployment may be from summing to 1.
    static let shareTolerance = 1e-9

    /// `deployment: {kind: single | pipeline | collaborative | distributed | cascade, ...}`.
    /// The kind is read first: it decides the other keys.
    mutating func decodeDeployment(_ node: ScenarioNode, path: KeyPath) -> DeploymentSpec? {
        guard let kind = tag(node, path: path, key: "kind", among: Self.deploymentKinds, what: "deployment kind",
                             example: "{kind: single, model: m, on: s}"),
              let keys = Self.deploymentForms.first(where: { $0.kind == kind })?.keys,
              let reader = MappingReader(node, path: path, keys: keys, log: &log)
        else { return nil }
        let before = log.count
        let spec: DeploymentSpec?
        switch kind {
        case "single":
            spec = decodePlacement(reader, path: path).map { .single($0) }
        case "pipeline":
            let stages = items(reader, "stages", path: path, keys: Self.placementKeys,
                               example: "stages: [{model: m1, on: s1}, {model: m2, on: s2}]") { d, reader, path, _ in
                d.decodePlacement(reader, path: path)
            }
            if let stages {
                for (k, (p, q)) in zip(stages, stages.dropFirst()).enumerated() {
                    talk(p.node, q.node, why: "stage \(k) on `\(p.node)` hands on to stage \(k + 1) on `\(q.node)`",
                         at: path.appending("stages").appending(index: k + 1).appending("on"))
                }
            }
            spec = stages.map { .pipeline($0) }
        case "collaborative":
            spec = decodeCollaborative(reader, path: path).map { .collaborative($0) }
        case "distributed":
            spec = decodeDistributed(reader, path: path).map { .distributed($0) }
        default:  // cascade
            spec = decodeCascade(reader, path: path).map { .cascade($0) }
        }
        return log.count == before ? spec : nil
    }

    /// `{kind: collaborative, from?, fuseAt, branches: [{model, on, via, weight}], fusion}`.
    private mutating func decodeCollaborative(_ reader: MappingReader, path: KeyPath) -> CollaborativeSpec? {
        let from = reader["from"].flatMap { nodeName($0, path: path.appending("from")) }
        let fuseAt = reader.required("fuseAt", log: &log, hint: "the node where answers are fused, e.g. `fuseAt: local-d`")
            .flatMap { nodeName($0, path: path.appending("fuseAt")) }
        let branches = items(reader, "branches", path: path, keys: Self.branchKeys,
                             example: "branches: [{model: a, on: s1, via: rest}, {model: b, on: s2, via: grpc}]") { d, reader, path, _ in
            d.decodeBranch(reader, path: path)
        }
        let fusion = reader.required("fusion", log: &log, hint: "e.g. `fusion: {method: mean, deadline: 150ms, quorum: 1}`")
            .flatMap { decodeFusion($0, path: path.appending("fusion"), branches: branches) }
        guard let fuseAt, let branches, let fusion else { return nil }
        let dispatch = from ?? fuseAt
        for (k, branch) in branches.enumerated() {
            let at = path.appending("branches").appending(index: k).appending("on")
            talk(dispatch, branch.placement.node, why: "`\(dispatch)` sends the input to branch \(k) on `\(branch.placement.node)`", at: at)
            talk(branch.placement.node, fuseAt, why: "branch \(k) on `\(branch.placement.node)` answers to the fusion node `\(fuseAt)`", at: at)
        }
        return CollaborativeSpec(dispatchFrom: from, fuseAt: fuseAt, branches: branches, fusion: fusion)
    }

    /// `fusion: {method, deadline?, quorum?, onQuorumMissed?, cost?, recallAt?}`.
    private mutating func decodeFusion(_ node: ScenarioNode, path: KeyPath, branches: [CollaborativeSpec.Branch]?) -> FusionSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.fusionKeys, log: &log) else { return nil }
        let before = log.count
        let methodNode = reader.required("method", log: &log, hint: "one of \(FusionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        let method = methodNode
            .flatMap { choice($0, path: path.appending("method"), among: FusionMethod.allCases.map(\.rawValue), what: "fusion method") }
            .flatMap(FusionMethod.init(rawValue:))
        var spec = FusionSpec(method: method ?? .mean)
        spec.deadline = reader["deadline"].flatMap { quantity($0, path: path.appending("deadline"), kind: .time, positive: true) }
        spec.quorum = reader["quorum"].flatMap {
            integer($0, path: path.appending("quorum"), in: 0...max(1, branches?.count ?? Int.max))
        }
        if spec.quorum == 0, spec.deadline == nil, reader["deadline"] == nil, let node = reader["quorum"] {
            log.error("quorum 0 answers at the deadline even when no model has: it needs a `deadline`", at: node,
                      path: path.appending("quorum"), hint: "add e.g. `deadline: 150ms`, or use a quorum of 1 or more")
        }
        if let value = reader["onQuorumMissed"] {
            spec.onQuorumMissed = choice(value, path: path.appending("onQuorumMissed"), among: QuorumPolicy.allCases.map(\.rawValue),
                                         what: "quorum policy").flatMap(QuorumPolicy.init(rawValue:)) ?? .wait
        }
        spec.cost = reader["cost"].flatMap { distribution($0, path: path.appending("cost"), kind: .time) }
        if let node = reader["recallAt"] {
            spec.recallAt = integer(node, path: path.appending("recallAt"), in: 1...Self.maxClasses)
            references.recallAt = .init(name: "recallAt", node: node, path: path.appending("recallAt"))
        }
        if let method, let methodNode, method == .weighted || method == .weightedMean,
           let branches, !branches.isEmpty, branches.allSatisfy({ $0.weight == 0 }) {
            log.error("`\(method.rawValue)` fusion weighs the branches, but every branch has weight 0", at: methodNode,
                      path: path.appending("method"), hint: "give at least one branch a `weight` above 0 (the default is 1)")
        }
        return log.count == before && method != nil ? spec : nil
    }

    /// `{kind: distributed, from?, aggregator, parts: [{model, on, via, share}], mergeCost?}`.
    private mutating func decodeDistributed(_ reader: MappingReader, path: KeyPath) -> DistributedSpec? {
        let from = reader["from"].flatMap { nodeName($0, path: path.appending("from")) }
        let aggregator = reader.required("aggregator", log: &log, hint: "the node that merges the parts, e.g. `aggregator: local-d`")
            .flatMap { nodeName($0, path: path.appending("aggregator")) }
        let parts = items(reader, "parts", path: path, keys: Self.partKeys,
                          example: "parts: [{model: a, on: s1, share: 0.5}, {model: a, on: s2, share: 0.5}]") { d, reader, path, _ in
            d.decodePart(reader, path: path)
        }
        let mergeCost = reader["mergeCost"].flatMap { distribution($0, path: path.appending("mergeCost"), kind: .time) }
        guard let aggregator, let parts else { return nil }
        let sum = parts.reduce(0) { $0 + $1.share }
        if abs(sum - 1) > Self.shareTolerance, let partsNode = reader["parts"] {
            log.error("the shares sum to \(Self.format(sum)), not 1", at: partsNode, path: path.appending("parts"),
                      hint: "each share is the fraction of the work its part does; together they make the whole request")
        }
        let split = from ?? aggregator
        for (k, part) in parts.enumerated() {
            let at = path.appending("parts").appending(index: k).appending("on")
            talk(split, part.placement.node, why: "`\(split)` sends part \(k) to `\(part.placement.node)`", at: at)
            talk(part.placement.node, aggregator, why: "part \(k) on `\(part.placement.node)` returns to the aggregator `\(aggregator)`", at: at)
        }
        return DistributedSpec(splitFrom: from, aggregator: aggregator, parts: parts, mergeCost: mergeCost)
    }

    /// `{kind: cascade, stages: [{model, on, via, threshold}]}`; the last stage always answers,
    /// so its threshold is optional (default 0).
    private mutating func decodeCascade(_ reader: MappingReader, path: KeyPath) -> CascadeSpec? {
        let stages = items(reader, "stages", path: path, keys: Self.cascadeStageKeys,
                           example: "stages: [{model: small, on: edge-e, threshold: 0.8}, {model: big, on: cloud-b}]") { d, reader, path, isLast in
            d.decodeCascadeStage(reader, path: path, isLast: isLast)
        }
        return stages.map { CascadeSpec(stages: $0) }
    }

    /// One branch: a placement and its fusion weight (default 1, at least 0).
    private mutating func decodeBranch(_ reader: MappingReader, path: KeyPath) -> CollaborativeSpec.Branch? {
        let weight: Double? = reader["weight"].map { number($0, path: path.appending("weight"), atLeast: 0, why: "a weight scales a branch's vote") } ?? 1
        guard let placement = decodePlacement(reader, path: path), let weight else { return nil }
        return .init(placement: placement, weight: weight)
    }

    /// One part: a placement and its share of the work, in (0, 1].
    private mutating func decodePart(_ reader: MappingReader, path: KeyPath) -> DistributedSpec.Part? {
        let share = reader.required("share", log: &log, hint: "the fraction of the work this part does, e.g. `share: 0.5`")
            .flatMap { number($0, path: path.appending("share"), atLeast: 0, lowerOpen: true, atMost: 1,
                              why: "a share is the fraction of the request's work this part does") }
        guard let placement = decodePlacement(reader, path: path), let share else { return nil }
        return .init(placement: placement, share: share)
    }

    /// One cascade stage: a placement and its confidence threshold in [0, 1]; required except
    /// on the last stage, which always answers (default 0).
    private mutating func decodeCascadeStage(_ reader: MappingReader, path: KeyPath, isLast: Bool) -> CascadeSpec.Stage? {
        let thresholdNode = isLast ? reader["threshold"]
            : reader.required("threshold", log: &log, hint: "the confidence at or above which this stage's answer stands, e.g. `threshold: 0.8`")
        let threshold: Double? = thresholdNode.map {
            number($0, path: path.appending("threshold"), atLeast: 0, atMost: 1, why: "a threshold is a confidence")
        } ?? (isLast ? 0 : nil)
        guard let placement = decodePlacement(reader, path: path), let threshold else { return nil }
        return .init(placement: placement, threshold: threshold)
    }

    /// The list under `key`, at least one item, each a mapping of `keys` decoded by `decode`;
    /// nil if anything in it has a problem.
    private mutating func items<Item>(_ reader: MappingReader, _ key: String, path: KeyPath, keys: [String], example: String,
                                      _ decode: (inout ScenarioDecoder, MappingReader, KeyPath, _ isLast: Bool) -> Item?) -> [Item]? {
        guard let listNode = reader.required(key, log: &log, hint: "e.g. `\(example)`"),
              let list = sequence(listNode, path: path.appending(key), minimum: 1, what: key)
        else { return nil }
        var result: [Item] = []
        for (index, item) in list.enumerated() {
            let itemPath = path.appending(key).appending(index: index)
            guard let itemReader = MappingReader(item, path: itemPath, keys: keys, log: &log),
                  let decoded = decode(&self, itemReader, itemPath, index == list.count - 1) else { continue }
            result.append(decoded)
        }
        return result.count == list.count ? result : nil
    }

    /// `model: NAME, on: NODE, via: rest|grpc|queue, call: {...}`; records the names for the
    /// checks. `call` holds this placement's own settings of its `via` protocol.
    private mutating func decodePlacement(_ reader: MappingReader, path: KeyPath) -> Placement? {
        func located(_ key: String) -> References.Name? {
            reader.required(key, log: &log).flatMap { node in
                string(node, path: path.appending(key)).map { .init(name: $0, node: node, path: path.appending(key)) }
            }
        }
        let model = located("model")
        let on = located("on")
        var via: References.Name?
        var callProtocol: CallProtocol?
        if let viaNode = reader["via"] {
            callProtocol = choice(viaNode, path: path.appending("via"), among: CallProtocol.allCases.map(\.rawValue), what: "call protocol")
                .flatMap(CallProtocol.init(rawValue:))
            if let callProtocol { via = .init(name: callProtocol.rawValue, node: viaNode, path: path.appending("via")) }
            else { return nil }
        }
        var select: MemberSelection?
        var selectName: References.Name?
        if let selectNode = reader["select"] {
            select = choice(selectNode, path: path.appending("select"), among: MemberSelection.allCases.map(\.rawValue),
                            what: "member selection").flatMap(MemberSelection.init(rawValue:))
            guard let select else { return nil }
            selectName = .init(name: select.rawValue, node: selectNode, path: path.appending("select"))
        }
        var settings: ProtocolSpec?
        if let callNode = reader["call"] {
            let callPath = path.appending("call")
            guard let callProtocol else {
                log.error("`call` sets the protocol of a remote call, and this placement has no `via`", at: reader.keyNode("call")!,
                          path: callPath, hint: "add `via: rest` (or grpc, queue), or remove `call`")
                return nil
            }
            guard let callReader = MappingReader(callNode, path: callPath, keys: Self.protocolKeys, log: &log) else { return nil }
            let before = log.count
            settings = decodeProtocolSettings(callReader, call: callProtocol, path: callPath)
            if log.count != before { return nil }
        }
        guard let model, let on else { return nil }
        references.placements.append(.init(model: model, on: on, via: via, select: selectName))
        references.nodeUses.append(on)
        return Placement(model: model.name, node: on.name, via: callProtocol, select: select, call: settings)
    }

    /// A node name that is not a placement (`from`, `fuseAt`, `aggregator`).
    private mutating func nodeName(_ node: ScenarioNode, path: KeyPath) -> String? {
        guard let name = string(node, path: path) else { return nil }
        references.nodeUses.append(.init(name: name, node: node, path: path))
        return name
    }

    /// Records that nodes `a` and `b` exchange messages (nothing to record for one node).
    private mutating func talk(_ a: String, _ b: String, why: String, at path: KeyPath) {
        guard a != b, let at = references.placements.last(where: { $0.on.path == path })?.on else { return }
        references.talks.append(.init(a: a, b: b, why: why, at: at))
    }
}
