// SPDX-License-Identifier: GPL-3.0-or-later

extension SummaryDocument {
    /// `nodes.<name>`: a node's load, energy, money and, when they apply, its batching,
    /// residency, thermal, spot, group and pool figures (absent keys do not apply).
    public struct Node: Codable, Sendable, Equatable {
        public var workers: Int?
        /// Busy worker-time over available worker-time, 0...1.
        public var utilization: Double
        /// Time-averaged number waiting; always present in a run's summary, absent in a measured
        /// one (the validation testbed cannot see a server's queue).
        public var meanQueueLength: Double?
        public var powerWatts: Double?
        public var energyJoules: Double?
        public var costUSD: Double?
        public var costPerHour: Double?
        public var batchMean: Double?
        public var memoryRejected: Int?
        public var memoryLimitedBatches: Int?
        public var coldStarts: Int?
        public var loadSeconds: Double?
        public var evictions: Int?
        public var throttledBatches: Int?
        public var preemptions: Int?
        public var retried: Int?
        public var members: Int?
        public var utilizationMax: Double?
        /// Cloud pools only.
        public var instancesMean: Double?
        public var instancesMax: Int?

        /// A node with its load figures; the others are set when they apply.
        public init(utilization: Double, meanQueueLength: Double?, workers: Int? = nil) {
            self.utilization = utilization
            self.meanQueueLength = meanQueueLength
            self.workers = workers
        }

        enum CodingKeys: String, CodingKey {
            case workers, utilization
            case meanQueueLength = "mean_queue_length"
            case powerWatts = "power_w"
            case energyJoules = "energy_j"
            case costUSD = "cost_usd"
            case costPerHour = "cost_per_h"
            case batchMean = "batch_mean"
            case memoryRejected = "memory_rejected"
            case memoryLimitedBatches = "memory_limited_batches"
            case coldStarts = "cold_starts"
            case loadSeconds = "load_s"
            case evictions
            case throttledBatches = "throttled_batches"
            case preemptions, retried, members
            case utilizationMax = "utilization_max"
            case instancesMean = "instances_mean"
            case instancesMax = "instances_max"
        }
    }

    /// `hosts.<name>`: a shared host's cores and the fraction of their time busy during
    /// measurement, busy core-time / (cores × measured time), over all replications.
    public struct Host: Codable, Sendable, Equatable {
        public var cores: Int
        public var utilization: Double
    }

    /// `links.<index>`: down time of a link that fails, summed over replications.
    public struct Link: Codable, Sendable, Equatable {
        public var between: [String]
        public var downSeconds: Double
        public var outages: Int
        public var availability: Double

        enum CodingKeys: String, CodingKey {
            case between
            case downSeconds = "down_s"
            case outages, availability
        }
    }
}
