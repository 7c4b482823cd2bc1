// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let hostKeys = ["cores"]

    /// `hosts: {NAME: {cores}}`, in file order: machines whose `cores` (1 … maxWorkers) the
    /// nodes that name them (`host: NAME`) share. Each host that decodes is kept in
    /// `references.hostCores`, so that nodes can be checked against it.
    mutating func decodeHosts(_ node: ScenarioNode, path: KeyPath) -> [HostSpec]? {
        guard let entries = namedEntries(node, path: path, what: "host") else { return nil }
        let before = log.count
        var hosts: [HostSpec] = []
        for (name, entry) in entries {
            let hostPath = path.appending(name)
            references.hostNames.append(name)
            guard let reader = MappingReader(entry.value, path: hostPath, keys: Self.hostKeys, log: &log),
                  let cores = reader.required("cores", log: &log, hint: "the machine's CPU cores, e.g. `cores: 2`")
                      .flatMap({ integer($0, path: hostPath.appending("cores"), in: 1...Self.maxWorkers) })
            else { continue }
            references.hostCores[name] = cores
            hosts.append(HostSpec(name: name, cores: cores))
        }
        return log.count == before ? hosts : nil
    }

    /// A node's `host: NAME` (`reader` is the node's, `path` the node's): a declared host, on
    /// a node that runs models as one station of its own. A node on a host has no
    /// `instances`, `count`, `autoscaling`, `spot`, `coldStart` or `wakeUp`, and a
    /// processor-sharing node on it shares exactly the host's cores. nil on errors (logged).
    mutating func decodeNodeHost(reader: MappingReader, kind: NodeKind?, concurrency: ServerConcurrency?,
                                 path: KeyPath) -> String? {
        guard let value = reader["host"], let keyNode = reader.keyNode("host") else { return nil }
        let hostPath = path.appending("host")
        guard let name = string(value, path: hostPath) else { return nil }
        if let kind, Self.kindsWithoutModels.contains(kind) {
            log.error("a `\(kind.rawValue)` node runs no models, so it takes no cores of a host", at: keyNode, path: hostPath,
                      hint: kind == .client ? "remove `host`: a client's own CPU is not simulated" : "remove `host`")
            return nil
        }
        guard let cores = references.hostCores[name] else {
            let known = references.hostNames
            log.error("unknown host `\(name)`" + Suggestion.didYouMean(name, among: known), at: value, path: hostPath,
                      hint: known.isEmpty ? "declare it under `hosts:`, e.g. `hosts: {\(name): {cores: 2}}`"
                          : "hosts declared: \(known.joined(separator: ", "))")
            return nil
        }
        let conflicts: [(key: String, hint: String)] = [
            ("instances", "a pool of instances is not on one machine: remove `instances` or `host`"),
            ("count", "the members of a node group on one host are not simulated: remove `count` or `host`"),
            ("autoscaling", "an autoscaled pool on a shared host is not simulated: remove `autoscaling` or `host`"),
            ("spot", "spot instances on a shared host are not simulated: remove `spot` or `host`"),
            ("coldStart", "model cold starts on a shared host are not simulated: remove `coldStart` or `host`"),
            ("wakeUp", "worker wake-up on a shared host is not simulated: remove `wakeUp` or `host`"),
        ]
        var valid = true
        for conflict in conflicts {
            guard let node = reader.keyNode(conflict.key) else { continue }
            log.error("`\(conflict.key)` cannot go with `host`", at: node, path: path.appending(conflict.key), hint: conflict.hint)
            valid = false
        }
        if case .processorSharing(_, _, .some) = concurrency {
            log.error("`concurrency.capacity` cannot go with `host`: on a shared host the other nodes are what takes the rest of the cores",
                      at: keyNode, path: hostPath,
                      hint: "remove `concurrency.capacity` and put the nodes that compete for the cores on the host, or remove `host`")
            valid = false
        }
        if case .processorSharing(let nodeCores, _, _) = concurrency, nodeCores != cores {
            log.error("this node shares \(nodeCores) core\(nodeCores == 1 ? "" : "s") (`concurrency.cores`) but its host `\(name)` has \(cores): "
                          + "a processor-sharing node on a host shares the host's cores", at: keyNode, path: hostPath,
                      hint: "set `concurrency.cores: \(cores)`; a node limited to fewer cores than its host (a GIL on a bigger machine) is not simulated on a shared host")
            valid = false
        }
        return valid ? name : nil
    }
}
