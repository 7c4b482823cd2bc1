// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// A network link between two nodes, usable in both directions (each direction on its own).
///
/// A message of s bytes crossing the link takes one draw of `latency`, plus one draw of
/// `jitter` when given, plus its s·8 bits at its share of the bandwidth (`sharing`,
/// docs/cost-models.md); with probability `loss` an attempt is lost and retried. While the
/// link is down (`outages`, `failures`) nothing crosses it in either direction.
public struct LinkSpec: Sendable, Equatable {
    public var a: String
    public var b: String
    /// One-way propagation latency, seconds.
    public var latency: Distribution
    /// Extra delay added to each message, seconds (e.g. a fixed `latency` plus lognormal jitter).
    public var jitter: Distribution?
    /// Capacity, bits per second; `nil` for unlimited (latency only).
    public var bandwidthBitsPerSecond: Double?
    /// Probability that one attempt to cross the link is lost, 0 ≤ loss < 1.
    public var loss: Double
    /// How concurrent transfers use the bandwidth (per direction).
    public var sharing: BandwidthSharingMode
    /// Scheduled down periods, in time order, not overlapping (empty: none).
    public var outages: [LinkOutage]
    /// Random up/down periods (nil: none). Combined with `outages`, the link is down when
    /// either says so.
    public var failures: LinkFailureProcess?

    public init(a: String, b: String, latency: Distribution, jitter: Distribution? = nil,
                bandwidthBitsPerSecond: Double? = nil, loss: Double = 0, sharing: BandwidthSharingMode = .fair,
                outages: [LinkOutage] = [], failures: LinkFailureProcess? = nil) {
        self.outages = outages
        self.failures = failures
        self.a = a
        self.b = b
        self.latency = latency
        self.jitter = jitter
        self.bandwidthBitsPerSecond = bandwidthBitsPerSecond
        self.loss = loss
        self.sharing = sharing
    }

    /// Whether the link is ever down.
    public var hasDowntime: Bool { !outages.isEmpty || failures != nil }

    /// Whether the link joins `x` and `y` (in either order).
    public func joins(_ x: String, _ y: String) -> Bool {
        (a == x && b == y) || (a == y && b == x)
    }
}

/// How concurrent transfers over a link direction use its bandwidth.
public enum BandwidthSharingMode: String, Sendable, Equatable, CaseIterable {
    /// Flow-level max–min fair sharing, recomputed when a transfer starts or ends.
    case fair
    /// Every transfer sees the whole bandwidth, whatever else is in flight (no contention;
    /// the model before sharing existed, kept for comparison).
    case none
}

/// An explicit path between two nodes through intermediate nodes, each consecutive pair
/// joined by a link. Used in both directions.
public struct RouteSpec: Sendable, Equatable {
    public var from: String
    public var to: String
    /// Intermediate nodes, in order from `from` to `to` (may be empty: the direct link).
    public var via: [String]

    public init(from: String, to: String, via: [String]) {
        self.from = from
        self.to = to
        self.via = via
    }
}

/// How a caller reaches a model (docs/cost-models.md has each protocol's overheads).
public enum CallProtocol: String, Sendable, Equatable, CaseIterable {
    /// HTTP/1.1 with JSON bodies (binary payloads base64-encoded).
    case rest
    /// gRPC: HTTP/2 with protobuf bodies over long-lived connections.
    case grpc
    /// Asynchronous publish and consume through a broker node.
    case queue
}

extension LinkSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case a, b, latency, jitter, bandwidthBitsPerSecond, loss, sharing, outages, failures
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension BandwidthSharingMode: Encodable {}

extension RouteSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case from, to, via
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension CallProtocol: Encodable {}
