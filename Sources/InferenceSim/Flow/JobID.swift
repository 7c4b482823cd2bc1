// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The identity of a job at a station: the `Int64` the engine carries as a job and as an
/// event's payload, read through names instead of shifts and masks. It compiles to that
/// integer (a single stored `Int64`, every member inlined).
///
/// Three forms share the integer:
/// - a **first attempt**: `slot << shift | branch` (`JobLayout`), 0 ≤ id < 2⁴⁸; the branch is 0
///   outside fan-outs, so a chain's job id is its request slot;
/// - a **retried attempt** of a fan-out branch call: `2⁵⁶ | attempt << 48 | firstAttempt`,
///   attempt 1...100 (`protocols.*.retries` is at most 100);
/// - a **front work** job (`FrontWorkKind`): a fan-out's dispatch, a branch call's write, an
///   answer's read or the fusion's work at its node's station, or a pipeline call's overlapped
///   receipt: `2⁵⁷ | kind << 48 | slot` (dispatch, fusion, receipt) or `2⁵⁷ | kind << 48 |
///   first attempt` (send, read: the branch's);
/// - a **duplicate** delivery of a `via: queue` message to stage s: `−1 − s` (negative).
///
/// A first attempt doubles as the index of its request's branch in `FanOutBranchTimes`.
struct JobID: Equatable {
    /// Bit 56: set on retried attempts.
    private static let retryFlag: Int64 = 1 << 56
    /// Bits 48...55: the attempt number of a retried attempt.
    private static let attemptShift: Int64 = 48
    /// Bit 57: set on front work jobs (bits 48...55 then hold the kind, 0...47 the slot).
    private static let frontWorkFlag: Int64 = 1 << 57
    /// Bits 0...47: the first attempt's id.
    private static let firstAttemptMask: Int64 = (1 << 48) - 1

    let rawValue: Int64

    @inline(__always)
    init(rawValue: Int64) { self.rawValue = rawValue }

    /// A duplicate delivery for stage `stage` (`stage` ≥ 0).
    @inline(__always)
    static func duplicate(stage: Int) -> JobID { JobID(rawValue: -1 - Int64(stage)) }

    /// The front work job of kind `kind` for the request in `slot`.
    @inline(__always)
    static func frontWork(_ kind: FrontWorkKind, slot: Int) -> JobID {
        JobID(rawValue: frontWorkFlag | Int64(kind.rawValue) << attemptShift | Int64(slot))
    }

    /// The front work job of kind `kind` (`send`, `read`) for the branch job `branchJob` (a
    /// first attempt).
    @inline(__always)
    static func frontWork(_ kind: FrontWorkKind, branchJob: JobID) -> JobID {
        JobID(rawValue: frontWorkFlag | Int64(kind.rawValue) << attemptShift | branchJob.rawValue)
    }

    /// A front work job (`frontWork(_:slot:)`, `frontWork(_:branchJob:)`).
    @inline(__always)
    var isFrontWork: Bool { rawValue >= Self.frontWorkFlag }

    /// The kind of a front work job, and its request slot (dispatch, fusion, receipt) or its branch's
    /// first attempt (send, read) (only for front work jobs of those kinds).
    var frontWorkKind: FrontWorkKind { FrontWorkKind(rawValue: Int32((rawValue >> Self.attemptShift) & 0xFF))! }
    var frontWorkSlot: Int { Int(rawValue & Self.firstAttemptMask) }
    var frontWorkBranchJob: JobID { JobID(rawValue: rawValue & Self.firstAttemptMask) }

    /// Neither a retried attempt, a front work job nor a duplicate (the hot path's one comparison).
    @inline(__always)
    var isFirstAttempt: Bool { UInt64(bitPattern: rawValue) < UInt64(Self.retryFlag) }

    /// A duplicate delivery (its answer is discarded).
    @inline(__always)
    var isDuplicate: Bool { rawValue < 0 }

    /// The stage a duplicate delivery is for (only for duplicates).
    @inline(__always)
    var duplicateStage: Int { Int(-1 - rawValue) }

    /// The attempt number: 0 for a first attempt, 1... for retries (not for duplicates or
    /// front work jobs).
    @inline(__always)
    var attempt: Int32 { rawValue >= Self.retryFlag ? Int32((rawValue >> Self.attemptShift) & 0xFF) : 0 }

    /// The first attempt of the same call (itself for a first attempt; not for duplicates).
    @inline(__always)
    var firstAttempt: JobID { JobID(rawValue: rawValue & Self.firstAttemptMask) }

    /// Attempt `attempt` of this first attempt's call (itself for attempt 0).
    @inline(__always)
    func retried(attempt: Int32) -> JobID {
        attempt == 0 ? self : JobID(rawValue: Self.retryFlag | Int64(attempt) << Self.attemptShift | rawValue)
    }

    /// A first attempt as an index (of `FanOutBranchTimes`, of the broker's transits).
    @inline(__always)
    var index: Int { Int(rawValue) }
}

/// How a plan packs (slot, branch) into a first attempt's id: `slot << shift | branch`, with
/// `shift` = ⌈log2 branches⌉ (0 outside fan-outs).
struct JobLayout {
    let shift: Int64
    let branchMask: Int64

    init(shift: Int) {
        self.shift = Int64(shift)
        branchMask = (Int64(1) << Int64(shift)) - 1
    }

    /// The first attempt of branch `branch` of the request in `slot`.
    @inline(__always)
    func job(slot: Int, branch: Int) -> JobID { JobID(rawValue: Int64(slot) << shift | Int64(branch)) }

    /// The request slot of a first attempt (call `firstAttempt` first on a retried one).
    @inline(__always)
    func slot(of job: JobID) -> Int { Int(job.rawValue >> shift) }

    /// The branch of any attempt (not of a duplicate).
    @inline(__always)
    func branch(of job: JobID) -> Int { Int(job.rawValue & branchMask) }
}

/// A fan-out's work at its front node (`dispatchWork`, `sendWork`, `fusion.readWork`,
/// `fusion.work`), and a pipeline call's receipt overlapping its send (`serverWorkStarts: withSend`).
enum FrontWorkKind: Int32 {
    /// Before the branch calls go out, at the dispatch node.
    case dispatch
    /// Before the answer goes back, at the fusion node.
    case fusion
    /// One branch call's write, at the dispatch node: the call goes out when it is done.
    case send
    /// One answer's read, at the fusion node: the answer counts for the join when it is done.
    case read
    /// Not a fan-out's: a pipeline call's receipt at the called node, overlapping the caller's
    /// send (`OverlappedReceipts`).
    case receipt
}
