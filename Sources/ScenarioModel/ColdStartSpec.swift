// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Model residency on a node whose memory may not hold all its models at once
/// (docs/cost-models.md, "Model residency and cold starts"): which models are loaded at the
/// start, and how long loading one takes. A model's load time is `loadTime` when given, else
/// its artifact pulled from `loadFrom` over the links, else its artifact read at
/// `diskBandwidth`.
public struct ColdStartSpec: Sendable, Equatable {
    /// Models loaded at t = 0, in this order; nil: the placed models in placement order, as
    /// long as they fit in the node's memory.
    public var resident: [String]?
    /// Time to load one model, seconds, drawn per load.
    public var loadTime: Distribution?
    /// A repository node the artifacts are pulled from (as an autoscaled pool's image pull).
    public var loadFrom: String?
    /// Local disk read rate, bits per second.
    public var diskBandwidthBitsPerSecond: Double?

    public init(resident: [String]? = nil, loadTime: Distribution? = nil, loadFrom: String? = nil,
                diskBandwidthBitsPerSecond: Double? = nil) {
        self.resident = resident
        self.loadTime = loadTime
        self.loadFrom = loadFrom
        self.diskBandwidthBitsPerSecond = diskBandwidthBitsPerSecond
    }
}

extension ColdStartSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case resident, loadTime, loadFrom, diskBandwidthBitsPerSecond
    }
}
