// SPDX-License-Identifier: GPL-3.0-or-later

/// Bits of `RequestTable.Request.flags`.
enum RequestFlags {
    /// The join node fused or merged the answers (later answers are late).
    static let joined: UInt8 = 1 << 0
    /// The fusion deadline passed.
    static let deadlinePassed: UInt8 = 1 << 1
    /// The request failed (quorum missed under `fail`) and counts as dropped.
    static let failed: UInt8 = 1 << 2
    /// Single, pipeline, cascade: the answer came back or the request was dropped (a pending
    /// call timeout then does nothing).
    static let finished: UInt8 = 1 << 3
    /// Single, pipeline, cascade: the source gave up on this attempt (call timeout); what is
    /// left of it runs on, and its answer is discarded.
    static let abandoned: UInt8 = 1 << 6
    /// The final answer (fused, or the answering stage's) is right.
    static let correct: UInt8 = 1 << 4
    /// The true class is within the fused top k (recall@k of replayed logs).
    static let recalled: UInt8 = 1 << 5
}
