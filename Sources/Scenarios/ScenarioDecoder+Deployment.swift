// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// Every deployment kind of the file format, in the order the schema lists them. A kind's
    /// form and decoder are in its own file (`ScenarioDecoder+Pipeline.swift`, `+Collaborative`,
    /// `+Distributed`, `+Cascade`).
    static let deploymentForms: [DeploymentForm] = [singleForm, pipelineForm, collaborativeForm, distributedForm, cascadeForm]
    static let deploymentKinds = deploymentForms.map(\.kind)
    static let placementKeys = ["model", "on", "via", "select", "call"]

    /// A deployment kind of the file format: its `kind:` value, the keys its mapping may hold
    /// (`kind` included) and its decoder, which logs every problem and returns nil on any.
    struct DeploymentForm: Sendable {
        let kind: String
        let keys: [String]
        let decode: @Sendable (inout ScenarioDecoder, MappingReader, KeyPath) -> DeploymentSpec?
    }

    /// `deployment: {kind: single | pipeline | collaborative | distributed | cascade, ...}`.
    /// The kind is read first: it decides the other keys.
    mutating func decodeDeployment(_ node: ScenarioNode, path: KeyPath) -> DeploymentSpec? {
        guard let kind = tag(node, path: path, key: "kind", among: Self.deploymentKinds, what: "deployment kind",
                             example: "{kind: single, model: m, on: s}"),
              let form = Self.deploymentForms.first(where: { $0.kind == kind }),
              let reader = MappingReader(node, path: path, keys: form.keys, log: &log)
        else { return nil }
        let before = log.count
        let spec = form.decode(&self, reader, path)
        return log.count == before ? spec : nil
    }

    /// The list under `key`, at least one item, each a mapping of `keys` decoded by `decode`;
    /// nil if anything in it has a problem.
    mutating func items<Item>(_ reader: MappingReader, _ key: String, path: KeyPath, keys: [String], example: String,
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
    /// checks. `call` holds this placement's own settings of its `via` protocol; its
    /// `serverWorkStarts: withSend` is recorded as pipeline stage `stage` (nil: not a pipeline
    /// stage) for `checkReceiptsWithSend`.
    mutating func decodePlacement(_ reader: MappingReader, path: KeyPath, stage: Int? = nil) -> Placement? {
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
        var overheadScaling: References.Name?
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
            overheadScaling = callReader.keyNode("callOverheadScaling").map {
                .init(name: "callOverheadScaling", node: $0, path: callPath.appending("callOverheadScaling"))
            }
            if settings?.serverWorkStarts == .withSend {
                references.receiptsWithSend.append(.init(stage: stage, key: .init(
                    name: ServerWorkStart.withSend.rawValue, node: callReader.keyNode("serverWorkStarts")!,
                    path: callPath.appending("serverWorkStarts"))))
            }
        }
        guard let model, let on else { return nil }
        references.placements.append(.init(model: model, on: on, via: via, select: selectName, overheadScaling: overheadScaling))
        references.nodeUses.append(on)
        return Placement(model: model.name, node: on.name, via: callProtocol, select: select, call: settings)
    }

    /// A node name that is not a placement (`from`, `fuseAt`, `aggregator`).
    mutating func nodeName(_ node: ScenarioNode, path: KeyPath) -> String? {
        guard let name = string(node, path: path) else { return nil }
        references.nodeUses.append(.init(name: name, node: node, path: path))
        return name
    }

    /// A fan-out's `from` (optional: the dispatch node) and its join node under `joinKey`
    /// (required; `hint` says what it is).
    mutating func fanOutNodes(_ reader: MappingReader, path: KeyPath, joinKey: String,
                              hint: String) -> (from: String?, join: String?) {
        let from = reader["from"].flatMap { nodeName($0, path: path.appending("from")) }
        let join = reader.required(joinKey, log: &log, hint: hint).flatMap { nodeName($0, path: path.appending(joinKey)) }
        return (from, join)
    }

    /// Records that `dispatch` sends to every branch node and every branch node answers to
    /// `join`, located at branch k's `on` under `path`; `sends` and `answers` say why.
    mutating func talkFanOut(dispatch: String, join: String, nodes: [String], path: KeyPath,
                             sends: (Int, String) -> String, answers: (Int, String) -> String) {
        for (k, node) in nodes.enumerated() {
            let at = path.appending(index: k).appending("on")
            talk(dispatch, node, why: sends(k, node), at: at)
            talk(node, join, why: answers(k, node), at: at)
        }
    }

    /// Records that nodes `a` and `b` exchange messages (nothing to record for one node).
    mutating func talk(_ a: String, _ b: String, why: String, at path: KeyPath) {
        guard a != b, let at = references.placements.last(where: { $0.on.path == path })?.on else { return }
        references.talks.append(.init(a: a, b: b, why: why, at: at))
    }
}
