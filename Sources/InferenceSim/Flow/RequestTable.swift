// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Per-request state of the requests in flight, indexed by a slot number (the `payload` of
/// their events), with a free list of slots.
///
/// A slot is reused once its request has completed and nothing scheduled refers to it any
/// more, so memory follows the largest number of requests in flight at once, never the number
/// of requests simulated. Storage is managed by hand (doubling, never shrinking) because every
/// event touches it.
struct RequestTable: ~Copyable {
    struct Request {
        /// When the request entered the system.
        var arrivalTime: SimTime
        /// Total time spent queued before service, over all stations so far.
        var waited: SimTime
        /// Index of the deployment stage the request is at (chain and cascade).
        var stage: Int32
        /// Index of the workload that sent it.
        var workload: Int32
        /// Request payload, bytes.
        var payload: Double
        /// Factor on service times (video frames processed; 1 for images).
        var workFactor: Double
        /// Answers (branches, parts) that reached the join node.
        var answersIn: Int32
        /// Scheduled things that still refer to this slot (branch jobs, timers, the main path).
        var outstanding: Int32
        var flags: RequestFlags
        /// Fan-out: the branch on the critical path (the answer that completed the join, or
        /// the last one in before the deadline); −1 before any answer.
        var critical: Int8
        /// Single, pipeline, cascade with a call timeout: the attempt this slot carries (0 first).
        var attempt: UInt16
        /// The pooled connection its entry call holds until the answer is back (−1: none).
        var connection: Int32
        /// Bit b set when branch b's answer reached the join node in time.
        var arrivedMask: UInt64
        /// Latency breakdown parts along the request's own path (chain, cascade; for a
        /// fan-out only its entry and response legs, the branches' are in `FanOutBranchTimes`):
        /// service, protocol codec and broker time, and (fan-out) the wait at the join.
        var service: SimTime
        var serialization: SimTime
        var broker: SimTime
        var fusionWait: SimTime
        /// Single, pipeline, cascade: time from arrival to the latest retry of the entry call.
        var retries: SimTime
    }

    private var slots: UnsafeMutablePointer<Request>
    private var freeSlots: UnsafeMutablePointer<Int32>
    private var capacity: Int
    /// Slots ever created (the high-water mark of requests in flight).
    private(set) var capacityUsed = 0
    private var freeCount = 0
    /// Requests in flight.
    private(set) var live = 0

    init(initialCapacity: Int = 256) {
        capacity = max(4, initialCapacity)
        slots = .allocate(capacity: capacity)
        freeSlots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
        freeSlots.deallocate()
    }

    /// Takes a slot for a request that arrives at `time`.
    @inline(__always)
    mutating func allocate(arrivingAt time: SimTime) -> Int {
        live += 1
        let slot: Int
        if freeCount > 0 {
            freeCount -= 1
            slot = Int(freeSlots[freeCount])
        } else {
            if capacityUsed == capacity { grow() }
            slot = capacityUsed
            capacityUsed += 1
        }
        (slots + slot).initialize(to: Request(arrivalTime: time, waited: 0, stage: 0, workload: 0, payload: 0,
                                              workFactor: 1, answersIn: 0, outstanding: 1, flags: [], critical: -1, attempt: 0, connection: -1,
                                              arrivedMask: 0, service: 0, serialization: 0, broker: 0, fusionWait: 0, retries: 0))
        return slot
    }

    /// Returns the slot of a finished request.
    @inline(__always)
    mutating func release(_ slot: Int) {
        live -= 1
        freeSlots[freeCount] = Int32(truncatingIfNeeded: slot)
        freeCount += 1
    }

    subscript(slot: Int) -> Request {
        get { slots[slot] }
        nonmutating _modify { yield &slots[slot] }
    }

    private mutating func grow() {
        let larger = capacity * 2
        let newSlots = UnsafeMutablePointer<Request>.allocate(capacity: larger)
        newSlots.moveInitialize(from: slots, count: capacityUsed)
        slots.deallocate()
        slots = newSlots
        let newFree = UnsafeMutablePointer<Int32>.allocate(capacity: larger)
        newFree.moveInitialize(from: freeSlots, count: freeCount)
        freeSlots.deallocate()
        freeSlots = newFree
        capacity = larger
    }
}
