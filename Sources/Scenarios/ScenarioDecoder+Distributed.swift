// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// `{kind: distributed, ...}`: the work split over parts by shares, merged at the aggregator.
    static let distributedForm = DeploymentForm(kind: "distributed",
                                                keys: ["kind", "from", "aggregator", "parts", "mergeCost"]) { d, reader, path in
        d.decodeDistributed(reader, path: path).map { .distributed($0) }
    }

    static let partKeys = placementKeys + ["share"]
    /// How far the shares of a distributed deployment may be from summing to 1.
    static let shareTolerance = 1e-9

    /// `{kind: distributed, from?, aggregator, parts: [{model, on, via, share}], mergeCost?}`.
    mutating func decodeDistributed(_ reader: MappingReader, path: KeyPath) -> DistributedSpec? {
        let (from, aggregator) = fanOutNodes(reader, path: path, joinKey: "aggregator",
                                             hint: "the node that merges the parts, e.g. `aggregator: local-d`")
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
        talkFanOut(dispatch: split, join: aggregator, nodes: parts.map(\.placement.node), path: path.appending("parts"),
                   sends: { k, node in "`\(split)` sends part \(k) to `\(node)`" },
                   answers: { k, node in "part \(k) on `\(node)` returns to the aggregator `\(aggregator)`" })
        return DistributedSpec(splitFrom: from, aggregator: aggregator, parts: parts, mergeCost: mergeCost)
    }

    /// One part: a placement and its share of the work, in (0, 1].
    mutating func decodePart(_ reader: MappingReader, path: KeyPath) -> DistributedSpec.Part? {
        let share = reader.required("share", log: &log, hint: "the fraction of the work this part does, e.g. `share: 0.5`")
            .flatMap { number($0, path: path.appending("share"), atLeast: 0, lowerOpen: true, atMost: 1,
                              why: "a share is the fraction of the request's work this part does") }
        guard let placement = decodePlacement(reader, path: path), let share else { return nil }
        return .init(placement: placement, share: share)
    }
}
