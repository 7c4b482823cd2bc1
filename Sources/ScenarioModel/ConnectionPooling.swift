// SPDX-License-Identifier: GPL-3.0-or-later

/// A keep-alive connection pool for calls over a protocol (docs/cost-models.md, "Connection
/// pools"): every caller keeps at most `poolSize` connections to each node it calls, each
/// opened on first use (paying the protocol's `setupRoundTrips`) and then reused, each carrying
/// at most `streamsPerConnection` calls at once; a call that finds every stream busy waits, in
/// order of arrival, for one to free up.
public struct ConnectionPooling: Sendable, Equatable {
    /// Connections per caller and called node (≥ 1).
    public var poolSize: Int
    /// Calls one connection carries at once (≥ 1): 1 for HTTP/1.1 (one request at a time per
    /// connection, no pipelining); HTTP/2's concurrent streams for gRPC.
    public var streamsPerConnection: Int
    /// A connection idle this long is closed by the server; the next call over it opens it
    /// again, seconds (nil: never closed).
    public var idleTimeout: Double?

    /// gRPC's default streams per connection: 100, the lower bound RFC 9113 §6.5.2 recommends
    /// for SETTINGS_MAX_CONCURRENT_STREAMS (servers differ: an **estimate**).
    public static let defaultGRPCStreams = 100

    public init(poolSize: Int, streamsPerConnection: Int = 1, idleTimeout: Double? = nil) {
        self.poolSize = poolSize
        self.streamsPerConnection = streamsPerConnection
        self.idleTimeout = idleTimeout
    }
}

extension ConnectionPooling: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case poolSize, streamsPerConnection, idleTimeout
    }
}
