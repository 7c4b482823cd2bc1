// SPDX-License-Identifier: GPL-3.0-or-later

/// How the requests in flight at a node share its processors, when not as FIFO workers
/// (docs/cost-models.md, "Server concurrency"). A node without one is a FIFO queue in front
/// of `workers × instances` workers.
public enum ServerConcurrency: Sendable, Equatable {
    /// Processor sharing: up to `maxInFlight` requests are in service at once (a thread
    /// pool) and share `cores` cores equally, each progressing at min(1, cores / n) with n in
    /// service; later requests wait in FIFO order for a slot. `cores: 1` is a GIL-like single
    /// executor. `maxInFlight` is `Int.max` when unlimited.
    case processorSharing(cores: Int, maxInFlight: Int)
}

extension ServerConcurrency: Encodable {
    enum CodingKeys: String, CodingKey { case processorSharing }
    enum ProcessorSharingKeys: String, CodingKey { case cores, maxInFlight }

    /// `{processorSharing: {cores, maxInFlight}}` (`maxInFlight` is `Int.max` when unlimited).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .processorSharing(let cores, let maxInFlight):
            var sharing = container.nestedContainer(keyedBy: ProcessorSharingKeys.self, forKey: .processorSharing)
            try sharing.encode(cores, forKey: .cores)
            try sharing.encode(maxInFlight, forKey: .maxInFlight)
        }
    }
}
