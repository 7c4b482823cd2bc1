// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let hardwareKeys = ["kind", "memory", "idlePower", "busyPower", "price", "workers", "powerModes", "thermal"]
    static let powerModeKeys = ["cap", "speed"]

    /// `hardware: {NAME: {kind: gpu|cpu, memory, idlePower, busyPower, price, workers,
    /// powerModes: {NAME: {cap, speed}}}}`, in file order. Each hardware that decodes is also
    /// kept in `references.hardwareSpecs`, so that nodes can take their defaults from it even
    /// when another hardware entry has a problem.
    mutating func decodeHardware(_ node: ScenarioNode, path: KeyPath) -> [HardwareSpec]? {
        guard let entries = namedEntries(node, path: path, what: "hardware", allowEmpty: true) else { return nil }
        references.hardware = entries.map { .init(name: $0.name, node: $0.entry.key, path: path.appending($0.name)) }
        let before = log.count
        var result: [HardwareSpec] = []
        for (name, entry) in entries {
            let hwPath = path.appending(name)
            guard let reader = MappingReader(entry.value, path: hwPath, keys: Self.hardwareKeys, log: &log) else { continue }
            let itemBefore = log.count
            let kind = reader.required("kind", log: &log, hint: "one of \(HardwareKind.allCases.map(\.rawValue).joined(separator: ", "))")
                .flatMap { choice($0, path: hwPath.appending("kind"), among: HardwareKind.allCases.map(\.rawValue), what: "hardware kind") }
                .flatMap(HardwareKind.init(rawValue:))
            var spec = HardwareSpec(name: name, kind: kind ?? .cpu)
            spec.memoryBytes = reader["memory"].flatMap { quantity($0, path: hwPath.appending("memory"), kind: .size, positive: true) }
            spec.idlePowerWatts = reader["idlePower"]
                .flatMap { quantity($0, path: hwPath.appending("idlePower"), kind: .power, positive: false) } ?? 0
            spec.busyPowerWatts = reader["busyPower"]
                .flatMap { quantity($0, path: hwPath.appending("busyPower"), kind: .power, positive: false) } ?? 0
            spec.pricePerHour = reader["price"].flatMap { quantity($0, path: hwPath.appending("price"), kind: .moneyRate, positive: false) }
            spec.workers = reader["workers"].flatMap { integer($0, path: hwPath.appending("workers"), in: 1...Self.maxWorkers) }
            if let modes = reader["powerModes"] {
                spec.powerModes = decodePowerModes(modes, path: hwPath.appending("powerModes")) ?? []
            }
            spec.thermal = reader["thermal"].flatMap { decodeThermal($0, path: hwPath.appending("thermal")) }
            guard kind != nil, log.count == itemBefore else { continue }
            references.hardwareSpecs[name] = spec
            result.append(spec)
        }
        return log.count == before ? result : nil
    }

    /// `powerModes: {NAME: {cap: 15W, speed: 0.45}}`: the cap is a power above 0, the speed a
    /// fraction of full speed in (0, 1].
    private mutating func decodePowerModes(_ node: ScenarioNode, path: KeyPath) -> [PowerMode]? {
        guard let entries = namedEntries(node, path: path, what: "power mode", allowEmpty: true) else { return nil }
        var modes: [PowerMode] = []
        for (name, entry) in entries {
            let modePath = path.appending(name)
            guard let reader = MappingReader(entry.value, path: modePath, keys: Self.powerModeKeys, log: &log) else { continue }
            let cap = reader.required("cap", log: &log, hint: "the most power the mode draws, e.g. `cap: 15W`")
                .flatMap { quantity($0, path: modePath.appending("cap"), kind: .power, positive: true) }
            let speed = reader.required("speed", log: &log, hint: "the fraction of full speed, e.g. `speed: 0.5`")
                .flatMap { speedFactor($0, path: modePath.appending("speed")) }
            if let cap, let speed { modes.append(PowerMode(name: name, powerCapWatts: cap, speedFactor: speed)) }
        }
        return modes
    }

    private mutating func speedFactor(_ node: ScenarioNode, path: KeyPath) -> Double? {
        guard let value = number(node, path: path) else { return nil }
        return number(node, path: path, atLeast: 0, lowerOpen: true, atMost: 1,
                      why: "a mode's speed is a fraction of the hardware's full speed",
                      hint: value > 1 ? "service times are divided by the speed, so a mode cannot run faster than the hardware itself; "
                          + "describe the faster device as its own hardware, with its own `serviceTimeOn` entries" : nil)
    }
}
