// SPDX-License-Identifier: GPL-3.0-or-later

/// What has happened to a request in flight (`RequestTable.Request.flags`), one bit each.
struct RequestFlags: OptionSet {
    let rawValue: UInt8

    @inline(__always)
    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The join node fused or merged the answers (later answers are late).
    static let joined = RequestFlags(rawValue: 1 << 0)
    /// The fusion deadline passed.
    static let deadlinePassed = RequestFlags(rawValue: 1 << 1)
    /// The request failed (quorum missed under `fail`) and counts as dropped.
    static let failed = RequestFlags(rawValue: 1 << 2)
    /// Single, pipeline, cascade: the answer came back or the request was dropped (a pending
    /// call timeout then does nothing).
    static let finished = RequestFlags(rawValue: 1 << 3)
    /// The final answer (fused, or the answering stage's) is right.
    static let correct = RequestFlags(rawValue: 1 << 4)
    /// The true class is within the fused top k (recall@k of replayed logs).
    static let recalled = RequestFlags(rawValue: 1 << 5)
    /// Single, pipeline, cascade: the source gave up on this attempt (call timeout); what is
    /// left of it runs on, and its answer is discarded.
    static let abandoned = RequestFlags(rawValue: 1 << 6)
    /// A fan-out request is over at its join node: joined or failed (later answers are late).
    static let settled: RequestFlags = [.joined, .failed]
}
