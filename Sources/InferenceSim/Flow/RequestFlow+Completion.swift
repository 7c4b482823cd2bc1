// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import SimCore

/// The request core's completions and drops: the answer back at the source (latency, its
/// breakdown, accuracy), a request that leaves without one, and the measurement window that
/// they open (warm-up by requests) and close (`requests` reached).
extension RequestFlow {
    func responseArrived(slot: Int, engine: Engine) {
        let now = engine.now
        if pooledCalls.isOn { pooledCalls.releaseEntryConnection(slot: slot, flow: self, engine: engine) }
        if entryRetries.isOn {
            if requests[slot].flags.contains(.abandoned) {  // the source gave up on it
                release(slot)
                return
            }
            requests[slot].flags.formUnion(.finished)
        }
        accounting.completed(at: now)
        if accounting.measuring {
            let latency = now - requests[slot].arrivalTime
            accounting.recordMeasured(latency: latency, waited: requests[slot].waited,
                                      parts: components(of: slot, latency: latency),
                                      workload: Int(requests[slot].workload), arrival: requests[slot].arrivalTime, at: now)
            if answers.isEnabled { countAnswers(slot: slot) }
            if shape == .cascade { answeredByStage[Int(requests[slot].stage)] += 1 }
            if accounting.reachedRequestCount { engine.stop() }
        } else {
            endWarmupIfDue(engine: engine)
        }
        release(slot)
    }

    /// The latency breakdown of a completed request: along its path, for a fan-out along its
    /// critical branch; the network is the rest of its latency (so the parts add up exactly).
    @inline(__always)
    private func components(of slot: Int, latency: SimTime) -> LatencyBreakdown.Components {
        // Field by field: copying the whole request record would cost more than the sums.
        var parts = LatencyBreakdown.Components()
        parts.serialization = requests[slot].serialization
        parts.broker = requests[slot].broker
        if shape == .fanOut {
            parts.fusionWait = requests[slot].fusionWait
            let critical = requests[slot].critical
            if critical >= 0 {
                let branch = fanOut.branchTimes[layout.job(slot: slot, branch: Int(critical)).index]
                parts.queueing = branch.queueing
                parts.service = branch.service
                parts.serialization += branch.serialization
                parts.broker += branch.broker
                parts.retries = branch.retries
            }
        } else {
            parts.queueing = requests[slot].waited
            parts.service = requests[slot].service
            parts.retries = requests[slot].retries
        }
        parts.network = latency - (parts.serialization + parts.broker + parts.queueing + parts.service + parts.fusionWait
                                   + parts.retries)
        return parts
    }

    /// Accuracy of a measured completion: its final answer, and each model alone.
    private func countAnswers(slot: Int) {
        if shape == .chain { setCorrect(answers.lastAnswer(of: slot).isCorrect, slot: slot) }
        answers.count(slot: slot, flags: requests[slot].flags)
    }

    /// Marks whether request `slot`'s final answer is right.
    func setCorrect(_ correct: Bool, slot: Int) {
        if correct { requests[slot].flags.formUnion(.correct) } else { requests[slot].flags.subtract(.correct) }
    }

    /// Request `slot` failed (quorum missed, memory full, no retry left): it leaves as dropped,
    /// unless it is an entry attempt the source had already given up on.
    func fail(slot: Int, engine: Engine) {
        if pooledCalls.isOn { pooledCalls.releaseEntryConnection(slot: slot, flow: self, engine: engine) }
        if entryRetries.isOn {
            if requests[slot].flags.contains(.abandoned) {  // an abandoned attempt: no request lost
                release(slot)
                return
            }
            requests[slot].flags.formUnion(.finished)
        }
        recordDrop(slot: slot, engine: engine)
        release(slot)
    }

    /// Request `slot` leaves without an answer: counted as dropped.
    func recordDrop(slot: Int, engine: Engine) {
        accounting.dropped(workload: Int(requests[slot].workload), arrival: requests[slot].arrivalTime, at: engine.now)
        if accounting.measuring {
            if accounting.reachedDropLimit { engine.stop() }
        } else {
            endWarmupIfDue(engine: engine)
        }
    }

    /// Warm-up by requests ends when that many requests have left (completed or dropped).
    private func endWarmupIfDue(engine: Engine) {
        if accounting.warmupRequestsLeft {
            beginMeasurement(engine: engine)
        }
    }

    func beginMeasurement(engine: Engine) {
        let now = engine.now
        accounting.beginMeasurement(at: now)
        for station in stations { station.withObject { $0.resetStatistics(at: now) } }
        for station in batchStations { station.withObject { $0.resetStatistics(at: now) } }
        for station in sharingStations { station.withObject { $0.resetStatistics(at: now) } }
        for host in hosts {
            host.withObject { host in
                host.resetStatistics(at: now)
                for station in host.members { station.resetStatistics(at: now) }
            }
        }
        if let duration = run.duration, run.requests == nil {
            engine.schedule(at: now + SimTimeConversion.nanoseconds(fromSeconds: duration), target: controlID,
                            kind: Kind.endMeasurement.rawValue)
        }
    }
}
