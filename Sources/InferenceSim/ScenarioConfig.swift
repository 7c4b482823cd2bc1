// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// A fully typed, validated scenario: what the `Scenarios` target produces from a YAML file
/// and what `Simulation` builds and runs. Times are in seconds, rates in events per second.
/// Collections keep the order of the file, so that building a simulation is deterministic.
public struct ScenarioConfig: Sendable, Equatable {
    public var name: String
    /// Master seed of every random stream of the run.
    public var seed: UInt64
    public var run: RunSettings
    public var models: [ModelSpec]
    public var nodes: [NodeSpec]
    public var deployment: DeploymentSpec
    public var workloads: [WorkloadSpec]

    public init(name: String, seed: UInt64, run: RunSettings, models: [ModelSpec],
                nodes: [NodeSpec], deployment: DeploymentSpec, workloads: [WorkloadSpec]) {
        self.name = name
        self.seed = seed
        self.run = run
        self.models = models
        self.nodes = nodes
        self.deployment = deployment
        self.workloads = workloads
    }
}

/// How long each replication runs and how much of its start is discarded.
///
/// Exactly one of `requests` and `duration` is set. Warm-up ends after `warmupRequests`
/// completions or after `warmupDuration` seconds of simulated time, whichever is set
/// (requests take precedence when both are zero or absent: no warm-up).
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

/// A served ML model.
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    /// Time to serve one request on one worker, in seconds.
    public var serviceTime: Distribution

    public init(name: String, serviceTime: Distribution) {
        self.name = name
        self.serviceTime = serviceTime
    }
}

/// The kinds of node a scenario can declare.
public enum NodeKind: String, Sendable, Equatable, CaseIterable {
    case server, cloud, edge, client, broker, repository
}

/// A place where models run: one shared FIFO queue in front of `workers` parallel workers.
public struct NodeSpec: Sendable, Equatable {
    public var name: String
    public var kind: NodeKind
    /// Parallel workers (c of an M/M/c queue), at least 1.
    public var workers: Int

    public init(name: String, kind: NodeKind, workers: Int) {
        self.name = name
        self.kind = kind
        self.workers = workers
    }
}

/// Which model runs on which node.
public struct Placement: Sendable, Equatable {
    public var model: String
    public var node: String

    public init(model: String, node: String) {
        self.model = model
        self.node = node
    }
}

/// How a request's work flows through the placed models.
public enum DeploymentSpec: Sendable, Equatable {
    /// One model on one node.
    case single(Placement)
    /// Stages in series: a request leaves stage k and joins the queue of stage k+1.
    case pipeline([Placement])
}

/// The workload kinds of the scenario format.
public enum WorkloadKind: String, Sendable, Equatable, CaseIterable {
    case image, video
}

/// How requests arrive.
public enum ArrivalProcess: Sendable, Equatable {
    /// Poisson arrivals at `rate` requests per second.
    case poisson(rate: Double)
}

/// One stream of requests.
public struct WorkloadSpec: Sendable, Equatable {
    public var kind: WorkloadKind
    public var arrivals: ArrivalProcess

    public init(kind: WorkloadKind, arrivals: ArrivalProcess) {
        self.kind = kind
        self.arrivals = arrivals
    }
}
