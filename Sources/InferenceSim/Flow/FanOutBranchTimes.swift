// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Per fan-out branch job (a first attempt's `JobID`), the parts of its time that the
/// latency breakdown needs once the join has picked the critical branch. Raw storage that
/// grows with the request table's slots, never shrinks, and is reset per branch at dispatch.
struct FanOutBranchTimes: ~Copyable {
    struct Entry {
        var queueing: SimTime = 0
        var service: SimTime = 0
        var serialization: SimTime = 0
        var broker: SimTime = 0
        /// When the branch's answer reached the join node.
        var answeredAt: SimTime = 0
        /// Calls with a timeout: the attempt the caller waits for, whether its answer came,
        /// and the time from dispatch to the latest retry (attempts given up plus backoff).
        var attempt: Int32 = 0
        var answered = false
        var retries: SimTime = 0
        /// The pooled connection the call holds until its answer is in (−1: none).
        var connection: Int32 = -1
    }

    private var entries = UnsafeMutablePointer<Entry>.allocate(capacity: 0)
    private var capacity = 0

    deinit { entries.deallocate() }

    /// Makes room for `job` and every job id below it.
    mutating func reserve(job: Int) {
        guard job >= capacity else { return }
        let larger = max(256, capacity * 2, job + 1)
        let storage = UnsafeMutablePointer<Entry>.allocate(capacity: larger)
        storage.moveInitialize(from: entries, count: capacity)
        (storage + capacity).initialize(repeating: Entry(), count: larger - capacity)
        entries.deallocate()
        entries = storage
        capacity = larger
    }

    subscript(job: Int) -> Entry {
        get { entries[job] }
        nonmutating _modify { yield &entries[job] }
    }
}
