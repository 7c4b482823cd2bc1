// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// How one distribution is written in a scenario: its `dist:` name, its parameters in order,
/// and how to build it from their values. Parameters carry the quantity's unit unless they
/// are dimensionless (`cv`, `shape`).
struct DistributionForm: Sendable {
    struct Parameter: Sendable {
        var name: String
        var dimensionless: Bool
    }

    var name: String
    var parameters: [Parameter]
    var make: @Sendable ([Double]) -> Distribution

    private static func form(_ name: String, _ parameters: [(String, Bool)],
                             _ make: @escaping @Sendable ([Double]) -> Distribution) -> DistributionForm {
        DistributionForm(name: name, parameters: parameters.map { Parameter(name: $0.0, dimensionless: $0.1) }, make: make)
    }

    /// Every form read from a mapping, except `empirical` (which reads a file).
    static let parametric: [DistributionForm] = [
        form("deterministic", [("value", false)]) { .deterministic(value: $0[0]) },
        form("exponential", [("mean", false)]) { .exponential(mean: $0[0]) },
        form("lognormal", [("mean", false), ("cv", true)]) { .lognormal(mean: $0[0], cv: $0[1]) },
        form("gamma", [("mean", false), ("cv", true)]) { .gamma(mean: $0[0], cv: $0[1]) },
        form("normal", [("mean", false), ("sd", false)]) { .normal(mean: $0[0], sd: $0[1]) },
        form("uniform", [("min", false), ("max", false)]) { .uniform(min: $0[0], max: $0[1]) },
        form("weibull", [("shape", true), ("scale", false)]) { .weibull(shape: $0[0], scale: $0[1]) },
        form("pareto", [("shape", true), ("scale", false)]) { .pareto(shape: $0[0], scale: $0[1]) },
    ]

    static let empiricalName = "empirical"

    /// The optional floor of a time distribution of a shiftable family
    /// (`Distribution.shiftableNames`): `{dist: lognormal, shift: 1.2ms, mean: 4ms, cv: 0.3}`.
    static let shiftKey = "shift"
    static let shiftableNames = Distribution.shiftableNames

    /// Every `dist:` name, in the order of the documentation.
    static let allNames: [String] = parametric.map(\.name) + [empiricalName]
}
