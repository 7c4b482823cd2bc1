// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let serviceTimeScalingKeys = ["by", "points"]
    /// Most points accepted (a guard against a runaway generated list).
    static let maxScalingPoints = 1_000

    /// `serviceTimeScaling: {by: utilization | inFlight, points: [[x, factor], …]}`: x strictly
    /// increasing, ≥ 0 (utilization) or ≥ 1 (inFlight), factor in (0, 1000] (docs/cost-models.md). Not with `batching` (a batch's time has its
    /// own curve). Every problem is logged at its point.
    mutating func decodeServiceTimeScaling(_ node: ScenarioNode, path: KeyPath, batching: Bool) -> ServiceTimeScaling? {
        guard let reader = MappingReader(node, path: path, keys: Self.serviceTimeScalingKeys, log: &log) else { return nil }
        let before = log.count
        if batching {
            log.error("`serviceTimeScaling` cannot be combined with `batching`: a batch's time follows the batching curve",
                      at: node, path: path, hint: "remove one of the two")
        }
        let variable = reader.required("by", log: &log, hint: "e.g. `by: inFlight`")
            .flatMap { choice($0, path: path.appending("by"), among: ServiceTimeScaling.Variable.allCases.map(\.rawValue),
                              what: "scaling variable") }
        let by = variable.flatMap(ServiceTimeScaling.Variable.init(rawValue:))
        let example = by == .inFlight ? "e.g. `points: [[1, 1], [4, 0.85]]` (requests in the node, factor)"
                                      : "e.g. `points: [[0.1, 1], [0.85, 0.94]]` (offered load ρ, factor)"
        let points = scalingPoints(reader, path: path, example: example, lowestX: by?.lowestX ?? 0,
                                   xMeaning: by == .inFlight ? "x counts the requests in the node at service start, the starting one included"
                                                             : "x is the node's offered load ρ",
                                   factorMeaning: "the factor multiplies the drawn service time")
        guard log.count == before, let by, let points else { return nil }
        return ServiceTimeScaling(variable: by, points: points)
    }

    /// `callOverheadScaling: {by: utilization, points: [[x, factor], …]}` of a protocol entry or
    /// a placement's `call:`: x the called node's offered load ρ, strictly increasing and ≥ 0,
    /// factor in (0, 1000] (docs/cost-models.md, "Load-dependent call overhead"). Whether the
    /// call has a `callOverhead` to scale and a called node whose load is one number is checked
    /// once the deployment is read (`checkCallOverheadScaling`).
    mutating func decodeCallOverheadScaling(_ node: ScenarioNode, path: KeyPath) -> CallOverheadScaling? {
        guard let reader = MappingReader(node, path: path, keys: Self.serviceTimeScalingKeys, log: &log) else { return nil }
        let before = log.count
        let by = reader.required("by", log: &log, hint: "`by: utilization` (the called node's offered load ρ)")
            .flatMap { choice($0, path: path.appending("by"), among: CallOverheadScaling.Variable.allCases.map(\.rawValue),
                              what: "overhead scaling variable") }
            .flatMap(CallOverheadScaling.Variable.init(rawValue:))
        let points = scalingPoints(reader, path: path, example: "e.g. `points: [[0.1, 1], [0.6, 0.8]]` (offered load ρ of the called node, factor)",
                                   lowestX: 0, xMeaning: "x is the called node's offered load ρ",
                                   factorMeaning: "the factor multiplies the drawn callOverhead")
        guard log.count == before, let by, let points else { return nil }
        return CallOverheadScaling(variable: by, points: points)
    }

    /// The `points: [[x, factor], …]` of a scaling: 1 to `maxScalingPoints` pairs, x ≥ `lowestX`
    /// and strictly increasing, factor in (0, 1000]; nil (each problem logged at its number)
    /// when any is wrong.
    private mutating func scalingPoints(_ reader: MappingReader, path: KeyPath, example: String, lowestX: Double,
                                        xMeaning: String, factorMeaning: String) -> [ServiceTimeScaling.Point]? {
        guard let pointsNode = reader.required("points", log: &log, hint: example) else { return nil }
        let pointsPath = path.appending("points")
        guard case .sequence(let items) = pointsNode.content, !items.isEmpty, items.count <= Self.maxScalingPoints else {
            log.error("expected a list of 1 to \(Self.maxScalingPoints) `[x, factor]` pairs", at: pointsNode, path: pointsPath, hint: example)
            return nil
        }
        let before = log.count
        var points: [ServiceTimeScaling.Point] = []
        var lastX: Double?
        for (index, item) in items.enumerated() {
            let itemPath = pointsPath.appending(String(index))
            guard case .sequence(let pair) = item.content, pair.count == 2 else {
                log.error("expected a pair `[x, factor]`", at: item, path: itemPath, hint: example)
                continue
            }
            let x = number(pair[0], path: itemPath.appending("0"), atLeast: lowestX, why: xMeaning)
            let factor = number(pair[1], path: itemPath.appending("1"), atLeast: 0, lowerOpen: true, atMost: 1_000,
                                why: factorMeaning)
            if let x, let previous = lastX, !(x > previous) {
                log.error("x must increase from point to point: \(Self.format(x)) follows \(Self.format(previous))",
                          at: pair[0], path: itemPath.appending("0"), hint: "list the points in increasing x, each x once")
            }
            lastX = x ?? lastX
            if let x, let factor { points.append(.init(x: x, factor: factor)) }
        }
        return log.count == before ? points : nil
    }
}
