// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// A fully typed, validated scenario: what the `Scenarios` target produces from a YAML file
/// and what `Simulation` builds and runs.
///
/// Units everywhere in the configuration types: seconds, bytes, bits per second, watts,
/// US dollars (per hour for prices). Collections keep the order of the file, so that building
/// a simulation is deterministic. Names (of hardware, models, nodes) are unique within their
/// collection; every name a spec refers to exists (the loader checks both).
public struct ScenarioConfig: Sendable, Equatable {
    public var name: String
    /// Master seed of every random stream of the run.
    public var seed: UInt64
    public var run: RunSettings
    /// Reusable hardware descriptions (CPUs, GPUs, cloud instance types), by name.
    public var hardware: [HardwareSpec]
    public var models: [ModelSpec]
    public var nodes: [NodeSpec]
    /// Machines shared by several nodes (`hosts:`); empty: every node has processors of its own.
    public var hosts: [HostSpec] = []
    /// Network links between nodes. Without links, network time is zero.
    public var links: [LinkSpec]
    /// Explicit multi-hop routes; other node pairs use the path of least mean latency.
    public var routes: [RouteSpec]
    /// Overrides of the protocols' cost parameters (at most one entry per protocol).
    public var protocols: [ProtocolSpec] = []
    public var deployment: DeploymentSpec
    public var workloads: [WorkloadSpec]
    /// Service-level objectives the summary checks, if any.
    public var slo: SLOSpec?
    /// Regression tolerances for `hybridsim check` (the `check:` section), in file order.
    public var check: [MetricTolerance] = []

    public init(name: String, seed: UInt64, run: RunSettings, hardware: [HardwareSpec] = [],
                models: [ModelSpec], nodes: [NodeSpec], links: [LinkSpec] = [], routes: [RouteSpec] = [],
                deployment: DeploymentSpec, workloads: [WorkloadSpec], slo: SLOSpec? = nil) {
        self.name = name
        self.seed = seed
        self.run = run
        self.hardware = hardware
        self.models = models
        self.nodes = nodes
        self.links = links
        self.routes = routes
        self.deployment = deployment
        self.workloads = workloads
        self.slo = slo
    }
}

/// How long each replication runs and how much of its start is discarded.
///
/// Exactly one of `requests` and `duration` is set. Warm-up ends after `warmupRequests`
/// completions or after `warmupDuration` seconds of simulated time (at most one is set;
/// neither means no warm-up).
public struct RunSettings: Sendable, Equatable {
    /// Completed requests to measure after warm-up, per replication.
    public var requests: Int?
    /// Simulated seconds to measure after warm-up, per replication.
    public var duration: Double?
    /// Completions discarded before measuring.
    public var warmupRequests: Int
    /// Simulated seconds discarded before measuring (alternative to `warmupRequests`).
    public var warmupDuration: Double?
    /// Independent replications (each with its own random streams).
    public var replications: Int

    public init(requests: Int? = nil, duration: Double? = nil, warmupRequests: Int = 0,
                warmupDuration: Double? = nil, replications: Int = 1) {
        self.requests = requests
        self.duration = duration
        self.warmupRequests = warmupRequests
        self.warmupDuration = warmupDuration
        self.replications = replications
    }
}

extension ScenarioConfig: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case name, seed, run, hardware, models, nodes, links, routes, protocols, deployment, workloads
        case slo, check, hosts
    }

    /// The synthesized order, with `hosts` (added after the format was fixed) after `nodes`
    /// and left out while empty, so that a scenario without hosts resolves to the same bytes
    /// as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(seed, forKey: .seed)
        try container.encode(run, forKey: .run)
        try container.encode(hardware, forKey: .hardware)
        try container.encode(models, forKey: .models)
        try container.encode(nodes, forKey: .nodes)
        if !hosts.isEmpty { try container.encode(hosts, forKey: .hosts) }
        try container.encode(links, forKey: .links)
        try container.encode(routes, forKey: .routes)
        try container.encode(protocols, forKey: .protocols)
        try container.encode(deployment, forKey: .deployment)
        try container.encode(workloads, forKey: .workloads)
        try container.encodeIfPresent(slo, forKey: .slo)
        try container.encode(check, forKey: .check)
    }
}

extension RunSettings: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case requests, duration, warmupRequests, warmupDuration, replications
    }
}
