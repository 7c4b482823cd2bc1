// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

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

        /// Memberwise.
        public init(time: Double, node: Int, instances: Int, booting: Int, workers: Int, busyWorkers: Int,
                    queue: Int, utilization: Double, powerWatts: Double) {
            self.time = time
            self.node = node
            self.instances = instances
            self.booting = booting
            self.workers = workers
            self.busyWorkers = busyWorkers
            self.queue = queue
            self.utilization = utilization
            self.powerWatts = powerWatts
        }
    }

    /// Seconds between samples.
    public var interval: Double
    /// Names of the sampled nodes (the deployment's stations, in order of first use).
    public var nodes: [String]
    public var rows: [Row] = []

    /// Memberwise.
    public init(interval: Double, nodes: [String], rows: [Row] = []) {
        self.interval = interval
        self.nodes = nodes
        self.rows = rows
    }

    /// Most rows per node a timeline holds: the interval is widened to stay within it.
    public static let maxRowsPerNode = 10_000
    /// Rows per node aimed at when nothing sets the interval.
    public static let defaultRowsPerNode = 200

    /// The sampling interval for `config`, seconds: the shortest autoscaling interval of its
    /// pools, else the expected run length / 200; never shorter than the expected length /
    /// 10 000.
    public static func interval(for config: ScenarioConfig) -> Double {
        var length = config.expectedRunLength
        if !(length > 0) || !length.isFinite { length = 1 }
        let pools = config.nodes.compactMap { $0.autoscaling?.interval }
        let wanted = pools.min() ?? length / Double(defaultRowsPerNode)
        return max(wanted, length / Double(maxRowsPerNode))
    }
}
