// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Per fan-out branch job (indexed by a first attempt's `JobID`), the parts of its time that
/// the latency breakdown needs once the join has picked the critical branch; grows with the
/// request table's slots, never shrinks, and is reset per branch at dispatch.
typealias FanOutBranchTimes = GrowableBuffer<FanOutBranchTime>

/// One fan-out branch job's times and call state.
struct FanOutBranchTime {
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
