// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let workloadKeys = ["kind", "arrivals"]
    static let arrivalKeys = ["process", "rate"]
    static let arrivalProcesses = ["poisson"]

    /// `workload: [{kind: image|video, arrivals: {process: poisson, rate}}, ...]`, at least one.
    mutating func decodeWorkloads(_ node: ScenarioNode, path: KeyPath) -> [WorkloadSpec]? {
        guard let items = sequence(node, path: path, minimum: 1, what: "workloads") else { return nil }
        let before = log.count
        var workloads: [WorkloadSpec] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let reader = MappingReader(item, path: itemPath, keys: Self.workloadKeys, log: &log) else { continue }
            let kind = reader.required("kind", log: &log)
                .flatMap { choice($0, path: itemPath.appending("kind"), among: WorkloadKind.allCases.map(\.rawValue), what: "workload kind") }
                .flatMap(WorkloadKind.init(rawValue:))
            let arrivals = reader.required("arrivals", log: &log, hint: "e.g. `arrivals: {process: poisson, rate: 3.2/s}`")
                .flatMap { decodeArrivals($0, path: itemPath.appending("arrivals")) }
            if let kind, let arrivals {
                workloads.append(WorkloadSpec(kind: kind, arrivals: arrivals))
            }
        }
        return log.count == before ? workloads : nil
    }

    /// `arrivals: {process: poisson, rate: 3.2/s}`.
    mutating func decodeArrivals(_ node: ScenarioNode, path: KeyPath) -> ArrivalProcess? {
        guard let reader = MappingReader(node, path: path, keys: Self.arrivalKeys, log: &log) else { return nil }
        let process = reader.required("process", log: &log)
            .flatMap { choice($0, path: path.appending("process"), among: Self.arrivalProcesses, what: "arrival process") }
        let rate = reader.required("rate", log: &log, hint: "e.g. `rate: 3.2/s`")
            .flatMap { quantity($0, path: path.appending("rate"), kind: .rate) }
        guard process == "poisson", let rate else { return nil }
        return .poisson(rate: rate)
    }
}
