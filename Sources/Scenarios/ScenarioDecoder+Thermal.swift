// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let thermalKeys = ["after", "speed", "recoverAfter"]

    /// A hardware's `thermal: {after, speed, recoverAfter}`, all required.
    mutating func decodeThermal(_ node: ScenarioNode, path: KeyPath) -> ThermalSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.thermalKeys, log: &log) else { return nil }
        let after = reader.required("after", log: &log, hint: "sustained activity before throttling, e.g. `after: 2min`")
            .flatMap { quantity($0, path: path.appending("after"), kind: .time, positive: true) }
        let speed = reader.required("speed", log: &log, hint: "the fraction of full speed while throttled, e.g. `speed: 0.7`")
            .flatMap { number($0, path: path.appending("speed"), atLeast: 0, lowerOpen: true, atMost: 1,
                              why: "a throttled device runs at a fraction of its full speed") }
        let recovery = reader.required("recoverAfter", log: &log, hint: "idle time that cools it, e.g. `recoverAfter: 30s`")
            .flatMap { quantity($0, path: path.appending("recoverAfter"), kind: .time, positive: false) }
        guard let after, let speed, let recovery else { return nil }
        return ThermalSpec(afterSeconds: after, speedFactor: speed, recoverySeconds: recovery)
    }
}
