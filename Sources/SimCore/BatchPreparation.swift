// SPDX-License-Identifier: GPL-3.0-or-later

/// What must happen at a `BatchStation` before a batch of a job class can be served — for
/// example loading the class's model into memory (a cold start). Optional; consulted only by
/// stations given one, off the FIFO hot path.
public protocol BatchPreparation: AnyObject {
    /// Whether a batch of `jobClass` could start now (else the class is passed over until a
    /// batch completes).
    func canStart(_ jobClass: Int, at now: SimTime) -> Bool
    /// A batch of `jobClass` starts now (`canStart` said yes); returns how long its worker
    /// waits before serving it (ns ≥ 0), e.g. the rest of a model load.
    func batchStarts(_ jobClass: Int, at now: SimTime) -> SimTime
    /// A batch of `jobClass` completed now.
    func batchEnded(_ jobClass: Int, at now: SimTime)
    /// Clears the counters (the station's statistics restarted at `time`); the state stays.
    func resetStatistics(at time: SimTime)
}
