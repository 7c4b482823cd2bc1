// SPDX-License-Identifier: GPL-3.0-or-later

/// Per-node samples of one replication, one row per node per `interval` (docs/summary.md,
/// "timeline.csv"). Instant values are taken at the row's time; `utilization` and
/// `powerWatts` are means over the interval ending then.
public struct Timeline: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// Simulated seconds since the start of the run (warm-up included).
        public var time: Double
        /// Index into `nodes`.
        public var node: Int
        /// Launched instances (serving + booting); 1 for nodes that are not pools.
        public var instances: Int
        /// Instances still booting.
        public var booting: Int
        public var workers: Int
        public var busyWorkers: Int
        /// Jobs waiting (not in service).
        public var queue: Int
        public var utilization: Double
        public var powerWatts: Double
    }

    /// Seconds between samples.
    public var interval: Double
    /// Names of the sampled nodes (the deployment's stations, in order of first use).
    public var nodes: [String]
    public var rows: [Row] = []

    /// Most rows per node a timeline holds: the interval is widened to stay within it.
    public static let maxRowsPerNode = 10_000
    /// Rows per node aimed at when nothing sets the interval.
    public static let defaultRowsPerNode = 200

    /// The sampling interval for `config`, seconds: the shortest autoscaling interval of its
    /// pools, else the expected run length / 200; never shorter than the expected length /
    /// 10 000.
    public static func interval(for config: ScenarioConfig) -> Double {
        var length = expectedLength(of: config)
        if !(length > 0) || !length.isFinite { length = 1 }
        let pools = config.nodes.compactMap { $0.autoscaling?.interval }
        let wanted = pools.min() ?? length / Double(defaultRowsPerNode)
        return max(wanted, length / Double(maxRowsPerNode))
    }

    /// The expected simulated length of a replication of `config`, seconds: warm-up +
    /// duration, or (warm-up + measured requests) ÷ the workloads' total mean arrival rate
    /// (0 when there is no arrival rate).
    public static func expectedLength(of config: ScenarioConfig) -> Double {
        let run = config.run
        let rate = config.workloads.reduce(0) { $0 + $1.arrivals.meanRate }
        if let duration = run.duration {
            return duration + (run.warmupDuration ?? (rate > 0 ? Double(run.warmupRequests) / rate : 0))
        }
        let requests = Double(run.requests ?? 0) + Double(run.warmupRequests)  // each may be near Int.max
        return (run.warmupDuration ?? 0) + (rate > 0 ? requests / rate : 0)
    }
}
