// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let modelKeys = ["serviceTime"]

    /// `models: {NAME: {serviceTime: DISTRIBUTION}}`, in file order.
    mutating func decodeModels(_ node: ScenarioNode, path: KeyPath) -> [ModelSpec]? {
        guard let entries = namedEntries(node, path: path, what: "model") else { return nil }
        references.models = entries.map { .init(name: $0.name, node: $0.entry.key, path: path.appending($0.name)) }
        let before = log.count
        var models: [ModelSpec] = []
        for (name, entry) in entries {
            let modelPath = path.appending(name)
            guard let model = MappingReader(entry.value, path: modelPath, keys: Self.modelKeys, log: &log),
                  let serviceTime = model.required("serviceTime", log: &log, hint: "e.g. `serviceTime: {dist: exponential, mean: 20ms}`")
                    .flatMap({ distribution($0, path: modelPath.appending("serviceTime"), kind: .time) })
            else { continue }
            models.append(ModelSpec(name: name, serviceTime: serviceTime))
        }
        return log.count == before ? models : nil
    }
}
