// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let spotKeys = ["share", "price", "preemptionRate", "replaceAfter"]

    /// A fixed cloud pool's `spot: {share, price, preemptionRate, replaceAfter}`; `share`,
    /// `price` and `preemptionRate` are required, `replaceAfter` defaults to 120 s.
    mutating func decodeSpot(_ node: ScenarioNode, path: KeyPath) -> SpotSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.spotKeys, log: &log) else { return nil }
        let share = reader.required("share", log: &log, hint: "the fraction of instances that are spot, e.g. `share: 0.5`")
            .flatMap { number($0, path: path.appending("share"), atLeast: 0, atMost: 1, why: "a share is a fraction of the instances") }
        let price = reader.required("price", log: &log, hint: "the spot price of one instance, e.g. `price: $0.90/h`")
            .flatMap { quantity($0, path: path.appending("price"), kind: .moneyRate, positive: false) }
        let rate = reader.required("preemptionRate", log: &log, hint: "preemptions per instance, e.g. `preemptionRate: 0.05/h`")
            .flatMap { quantity($0, path: path.appending("preemptionRate"), kind: .rate, positive: true) }
        let replacement = reader["replaceAfter"].flatMap { distribution($0, path: path.appending("replaceAfter"), kind: .time) }
        guard let share, let price, let rate else { return nil }
        var spec = SpotSpec(share: share, pricePerHour: price, preemptionRate: rate)
        if let replacement { spec.replacement = replacement }
        return spec
    }
}
