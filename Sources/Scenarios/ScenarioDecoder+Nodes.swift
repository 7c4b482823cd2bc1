// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let nodeKeys = ["kind", "workers"]
    /// Largest number of workers on one node (a guard against typos).
    static let maxWorkers = 100_000

    /// `nodes: {NAME: {kind, workers}}`, in file order.
    mutating func decodeNodes(_ node: ScenarioNode, path: KeyPath) -> [NodeSpec]? {
        guard let entries = namedEntries(node, path: path, what: "node") else { return nil }
        references.nodes = entries.map { .init(name: $0.name, node: $0.entry.key, path: path.appending($0.name)) }
        let before = log.count
        var nodes: [NodeSpec] = []
        for (name, entry) in entries {
            let nodePath = path.appending(name)
            guard let reader = MappingReader(entry.value, path: nodePath, keys: Self.nodeKeys, log: &log) else { continue }
            let kind = reader.required("kind", log: &log, hint: "one of \(NodeKind.allCases.map(\.rawValue).joined(separator: ", "))")
                .flatMap { choice($0, path: nodePath.appending("kind"), among: NodeKind.allCases.map(\.rawValue), what: "node kind") }
                .flatMap(NodeKind.init(rawValue:))
            let workers = reader["workers"].map { integer($0, path: nodePath.appending("workers"), in: 1...Self.maxWorkers) } ?? 1
            if let kind, let workers {
                nodes.append(NodeSpec(name: name, kind: kind, workers: workers))
            }
        }
        return log.count == before ? nodes : nil
    }
}
