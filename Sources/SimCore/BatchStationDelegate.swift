// SPDX-License-Identifier: GPL-3.0-or-later

/// Decides what a `BatchStation`'s batches cost and hears when their jobs are done.
public protocol BatchStationDelegate: AnyObject {
    /// A worker takes the batch `jobs` (all of class `jobClass`, oldest first), whose members
    /// waited `waited[i]` nanoseconds in the queue; returns how long the batch's service lasts
    /// (≥ 0 ns). The buffers are valid only during the call.
    func batchDuration(of jobs: UnsafeBufferPointer<Int64>, waited: UnsafeBufferPointer<SimTime>, jobClass: Int,
                       at station: BatchStation) -> SimTime
    /// `job` finished service (its batch did) and left the station. Called for each member of
    /// the batch, oldest first, after the freed worker may have taken the next batch.
    func serviceCompleted(_ job: Int64, at station: BatchStation, engine: Engine)
    /// `job` was turned away on arrival: the station's `BatchAdmission` did not admit it. The
    /// job is gone from the station.
    func jobRejected(_ job: Int64, at station: BatchStation, engine: Engine)
}
