// SPDX-License-Identifier: GPL-3.0-or-later

/// Timeout and retries of a call (docs/cost-models.md, "Timeouts and retries"): the caller
/// gives up on an attempt `timeout` seconds after sending it, waits `backoff ·
/// backoffMultiplier^k` seconds after the k-th timeout (k from 0), and sends the call again, at
/// most `retries` times; when the last attempt times out too, the request is dropped.
public struct CallPolicy: Sendable, Equatable {
    /// Seconds from sending an attempt to giving up on it (> 0).
    public var timeout: Double
    /// Attempts after the first (≥ 0).
    public var retries: Int
    /// Wait before the first retry, seconds (≥ 0).
    public var backoff: Double
    /// Factor on the wait before each further retry (≥ 1).
    public var backoffMultiplier: Double

    /// 100 ms and ×2: an **estimate**, the order of gRPC's and the AWS SDKs' usual exponential
    /// backoff (0.1–1 s initial, doubling).
    public static let defaultBackoff = 0.1
    public static let defaultBackoffMultiplier = 2.0

    public init(timeout: Double, retries: Int = 0, backoff: Double = CallPolicy.defaultBackoff,
                backoffMultiplier: Double = CallPolicy.defaultBackoffMultiplier) {
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.backoffMultiplier = backoffMultiplier
    }

    /// The wait before retry number `k + 1` (after the k-th timeout, k from 0), seconds.
    public func backoff(after k: Int) -> Double {
        var wait = backoff
        for _ in 0..<k { wait *= backoffMultiplier }
        return wait
    }
}

extension CallPolicy: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case timeout, retries, backoff, backoffMultiplier
    }
}
