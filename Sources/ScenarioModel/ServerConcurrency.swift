// SPDX-License-Identifier: GPL-3.0-or-later

/// How the requests in flight at a node share its processors, when not as FIFO workers
/// (docs/cost-models.md, "Server concurrency"). A node without one is a FIFO queue in front
/// of `workers × instances` workers.
public enum ServerConcurrency: Sendable, Equatable {
    /// Processor sharing: up to `maxInFlight` requests are in service at once (a thread
    /// pool) and share `cores` cores equally, each progressing at min(1, cores / n) with n in
    /// service; later requests wait in FIFO order for a slot. `cores: 1` is a GIL-like single
    /// executor. `maxInFlight` is `Int.max` when unlimited. `capacity` (nil: `cores`), when
    /// set, is the CPU the pool really gets, in cores (0 < capacity ≤ cores; e.g. 1.6 of 2 cores
    /// when other threads on the host take the rest): each request then progresses at
    /// min(1, capacity / n) instead.
    case processorSharing(cores: Int, maxInFlight: Int, capacity: Double? = nil)
}

extension ServerConcurrency: Encodable {
    enum CodingKeys: String, CodingKey { case processorSharing }
    enum ProcessorSharingKeys: String, CodingKey { case cores, maxInFlight, capacity }

    /// `{processorSharing: {cores, maxInFlight[, capacity]}}` (`maxInFlight` is `Int.max` when
    /// unlimited; `capacity` only when set).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .processorSharing(let cores, let maxInFlight, let capacity):
            var sharing = container.nestedContainer(keyedBy: ProcessorSharingKeys.self, forKey: .processorSharing)
            try sharing.encode(cores, forKey: .cores)
            try sharing.encode(maxInFlight, forKey: .maxInFlight)
            try sharing.encodeIfPresent(capacity, forKey: .capacity)
        }
    }
}
