// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// Small typed scenarios for the simulation and validation tests (built directly, without YAML).
public enum ScenarioBuilders {
    /// One model on one node with `workers` workers, Poisson arrivals at `rate`.
    public static func singleStation(name: String, rate: Double, service: Distribution, workers: Int,
                              run: RunSettings, seed: UInt64 = 2024) -> ScenarioConfig {
        ScenarioConfig(
            name: name, seed: seed, run: run,
            models: [ModelSpec(name: "m", serviceTime: service)],
            nodes: [NodeSpec(name: "s", kind: .server, workers: workers)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: rate))])
    }

    /// A pipeline with one station per entry of `stations` (service distribution, workers).
    public static func tandem(name: String, rate: Double, stations: [(Distribution, Int)], run: RunSettings,
                       seed: UInt64 = 2024) -> ScenarioConfig {
        ScenarioConfig(
            name: name, seed: seed, run: run,
            models: stations.indices.map { ModelSpec(name: "m\($0)", serviceTime: stations[$0].0) },
            nodes: stations.indices.map { NodeSpec(name: "s\($0)", kind: .server, workers: stations[$0].1) },
            deployment: .pipeline(stations.indices.map { Placement(model: "m\($0)", node: "s\($0)") }),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: rate))])
    }

    /// Student-t 99 % confidence interval over per-replication values.
    public static func ci99(_ values: [Double]) throws -> ConfidenceInterval {
        try ConfidenceInterval.forMean(of: values, level: 0.99)
    }
}
