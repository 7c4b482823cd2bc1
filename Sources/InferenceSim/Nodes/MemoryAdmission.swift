// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// The memory a node has for the requests of its batches in service (activations), and what
/// happens to a request that does not fit (docs/cost-models.md, "Memory for in-flight
/// batches"). One job class of the node's `BatchStation` per model; part of `DevicePhysics`.
///
/// A batch of b jobs of a class holds b · `bytesPerJob[class]` bytes while in service.
/// Waiting for memory (`rejectsWhenFull` false), a batch takes at most ⌊free / bytesPerJob⌋
/// jobs, and a class none of whose jobs fits is passed over (another ready class may start)
/// until a completion frees memory; such batches — cut short, or started after being passed
/// over — are counted in `limitedBatches`. Rejecting (`rejectsWhenFull` true), every job's
/// memory is reserved from its arrival to its completion (a preempted batch's jobs keep theirs
/// while they wait again) and an arrival whose reservation does not fit is rejected; batches
/// then never lack memory.
struct MemoryAdmission {
    /// Bytes for the jobs of in-service batches (≥ 0).
    let capacity: Int
    /// Bytes one job of each class holds, each in 0 … `capacity`.
    let bytesPerJob: [Int]
    /// true: reserve at arrival and reject what does not fit; false: wait for memory.
    let rejectsWhenFull: Bool
    /// Bytes held by in-service batches now.
    private(set) var inUse = 0
    /// Bytes reserved by jobs waiting or in service now (rejecting only).
    private(set) var reserved = 0
    /// Batches that memory cut short or delayed since the statistics restarted.
    private(set) var limitedBatches = 0
    /// Per class: passed over for lack of memory since its last batch.
    private var heldBack: [Bool]

    init(capacity: Int, bytesPerJob: [Int], rejectsWhenFull: Bool) {
        precondition(bytesPerJob.allSatisfy { $0 >= 0 && $0 <= capacity }, "one job of every class fits in the memory")
        self.capacity = capacity
        self.bytesPerJob = bytesPerJob
        self.rejectsWhenFull = rejectsWhenFull
        heldBack = Array(repeating: false, count: bytesPerJob.count)
    }

    /// Whether an arriving job of `jobClass` is taken (its memory reserved when rejecting).
    @inline(__always)
    mutating func admitsArrival(ofClass jobClass: Int) -> Bool {
        guard rejectsWhenFull else { return true }
        let need = bytesPerJob[jobClass]
        guard reserved + need <= capacity else { return false }
        reserved += need
        return true
    }

    /// Jobs of `jobClass` a batch starting now may take; 0 marks the class as held back.
    @inline(__always)
    mutating func startableJobs(ofClass jobClass: Int) -> Int {
        let fits = fitting(jobClass)
        if fits == 0 && !heldBack[jobClass] { heldBack[jobClass] = true }
        return fits
    }

    /// A batch of `size` of the `wanted` jobs of `jobClass` starts: its memory is held.
    @inline(__always)
    mutating func batchStarts(ofClass jobClass: Int, size: Int, wanted: Int) {
        if heldBack[jobClass] {
            heldBack[jobClass] = false  // written only when set: no copy-on-write check per batch
            limitedBatches += 1
        } else if fitting(jobClass) < wanted {
            limitedBatches += 1
        }
        inUse += size * bytesPerJob[jobClass]
    }

    /// A batch of `size` jobs of `jobClass` left its worker: its memory is free again, and its
    /// reservation too when it `completed` (a preempted batch's jobs keep theirs).
    @inline(__always)
    mutating func batchEnded(ofClass jobClass: Int, size: Int, completed: Bool) {
        let held = size * bytesPerJob[jobClass]
        inUse -= held
        if rejectsWhenFull && completed { reserved -= held }
    }

    mutating func resetStatistics() { limitedBatches = 0 }

    /// Jobs of `jobClass` the free memory holds now (all of them when a job needs none or
    /// memory is reserved at arrival).
    @inline(__always)
    private func fitting(_ jobClass: Int) -> Int {
        guard !rejectsWhenFull, bytesPerJob[jobClass] > 0 else { return .max }
        return (capacity - inUse) / bytesPerJob[jobClass]
    }
}
