// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Per-request state of the requests in flight, as parallel arrays indexed by a slot number
/// (the `payload` of their events), with a free list.
///
/// Slots are reused as soon as a request completes, so memory follows the largest number of
/// requests in flight at once, never the number of requests simulated.
struct RequestTable {
    /// When the request entered the system.
    private(set) var arrivalTime: [SimTime] = []
    /// Index of the deployment stage the request is at.
    var stage: [Int32] = []
    /// Total time spent queued before service, over all stations so far.
    var waited: [SimTime] = []
    private var freeSlots: [Int32] = []

    /// Requests in flight.
    private(set) var live = 0

    init(initialCapacity: Int = 256) {
        arrivalTime.reserveCapacity(initialCapacity)
        stage.reserveCapacity(initialCapacity)
        waited.reserveCapacity(initialCapacity)
        freeSlots.reserveCapacity(initialCapacity)
    }

    /// Takes a slot for a request that arrives at `time`.
    mutating func allocate(arrivingAt time: SimTime) -> Int {
        live += 1
        if let slot = freeSlots.popLast() {
            let index = Int(slot)
            arrivalTime[index] = time
            stage[index] = 0
            waited[index] = 0
            return index
        }
        arrivalTime.append(time)
        stage.append(0)
        waited.append(0)
        return arrivalTime.count - 1
    }

    /// Returns the slot of a finished request.
    mutating func release(_ slot: Int) {
        live -= 1
        freeSlots.append(Int32(slot))
    }

    /// Slots ever created (the high-water mark of requests in flight).
    var capacityUsed: Int { arrivalTime.count }
}
