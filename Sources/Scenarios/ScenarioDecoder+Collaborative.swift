// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

extension ScenarioDecoder {
    /// `{kind: collaborative, ...}`: fan-out of the same input, answers fused at `fuseAt`.
    static let collaborativeForm = DeploymentForm(kind: "collaborative",
                                                  keys: ["kind", "from", "fuseAt", "branches", "fusion", "dispatchWork",
                                                         "sendWork"]) { d, reader, path in
        d.decodeCollaborative(reader, path: path).map { .collaborative($0) }
    }

    static let branchKeys = placementKeys + ["weight"]
    static let fusionKeys = ["method", "deadline", "quorum", "onQuorumMissed", "cost", "recallAt", "work", "readWork"]

    /// `{kind: collaborative, from?, fuseAt, branches: [{model, on, via, weight}], fusion, dispatchWork?, sendWork?}`.
    mutating func decodeCollaborative(_ reader: MappingReader, path: KeyPath) -> CollaborativeSpec? {
        let (from, fuseAt) = fanOutNodes(reader, path: path, joinKey: "fuseAt",
                                         hint: "the node where answers are fused, e.g. `fuseAt: local-d`")
        let branches = items(reader, "branches", path: path, keys: Self.branchKeys,
                             example: "branches: [{model: a, on: s1, via: rest}, {model: b, on: s2, via: grpc}]") { d, reader, path, _ in
            d.decodeBranch(reader, path: path)
        }
        let fusion = reader.required("fusion", log: &log, hint: "e.g. `fusion: {method: mean, deadline: 150ms, quorum: 1}`")
            .flatMap { decodeFusion($0, path: path.appending("fusion"), branches: branches, fuseAt: fuseAt) }
        let dispatchWork = frontWork(reader, "dispatchWork", path: path, node: from ?? fuseAt)
        let sendWork = frontWork(reader, "sendWork", path: path, node: from ?? fuseAt)
        guard let fuseAt, let branches, let fusion else { return nil }
        let dispatch = from ?? fuseAt
        talkFanOut(dispatch: dispatch, join: fuseAt, nodes: branches.map(\.placement.node), path: path.appending("branches"),
                   sends: { k, node in "`\(dispatch)` sends the input to branch \(k) on `\(node)`" },
                   answers: { k, node in "branch \(k) on `\(node)` answers to the fusion node `\(fuseAt)`" })
        return CollaborativeSpec(dispatchFrom: from, fuseAt: fuseAt, branches: branches, fusion: fusion,
                                 dispatchWork: dispatchWork, sendWork: sendWork)
    }

    /// A front work key of `reader` (a time distribution), remembered with `node` (the node
    /// that serves it, nil when it could not be read) for `checkFrontWork`.
    private mutating func frontWork(_ reader: MappingReader, _ key: String, path: KeyPath, node: String?) -> Distribution? {
        guard let value = reader[key], let work = distribution(value, path: path.appending(key), kind: .time) else { return nil }
        if let node {
            references.frontWorks.append(.init(node: node, key: .init(name: key, node: value, path: path.appending(key))))
        }
        return work
    }

    /// `fusion: {method, deadline?, quorum?, onQuorumMissed?, cost?, recallAt?, work?, readWork?}`.
    /// `fuseAt` (nil when it could not be read) is the node that serves `work` and `readWork`.
    mutating func decodeFusion(_ node: ScenarioNode, path: KeyPath, branches: [CollaborativeSpec.Branch]?,
                               fuseAt: String?) -> FusionSpec? {
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
        spec.work = frontWork(reader, "work", path: path, node: fuseAt)
        spec.readWork = frontWork(reader, "readWork", path: path, node: fuseAt)
        if let cost = reader["cost"], reader["work"] != nil {
            log.error("`cost` and `work` both give the fusion's time", at: cost, path: path.appending("cost"),
                      hint: "keep `cost` for a delay at the fusion node, or `work` for a job on its worker and host, not both")
        }
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

    /// One branch: a placement and its fusion weight (default 1, at least 0).
    mutating func decodeBranch(_ reader: MappingReader, path: KeyPath) -> CollaborativeSpec.Branch? {
        let weight: Double? = reader["weight"].map { number($0, path: path.appending("weight"), atLeast: 0, why: "a weight scales a branch's vote") } ?? 1
        guard let placement = decodePlacement(reader, path: path), let weight else { return nil }
        return .init(placement: placement, weight: weight)
    }
}
