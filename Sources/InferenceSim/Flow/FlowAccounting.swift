// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import ScenarioModel
import SimCore

/// The accounting part of the request flow: the measurement window (warm-up, then `requests`
/// completions or `duration` seconds; docs/engine.md), the conservation totals, the requests
/// in flight and their time average (Little's law), the streaming statistics and latency
/// breakdown of measured completions, and the opt-in per-request trace.
///
/// It counts; the flow decides. The flow reports arrivals, completions and drops, and asks
/// whether warm-up is over or the run should stop. It starts the window itself, because that
/// also resets the stations' statistics.
struct FlowAccounting: ~Copyable {
    let run: RunSettings
    private(set) var measuring = false
    private(set) var measurementStart: SimTime = 0
    private(set) var arrivedTotal = 0
    private(set) var completedTotal = 0
    private(set) var droppedTotal = 0
    private(set) var metrics: MeasurementCollector
    private(set) var peakInFlight = 0
    private(set) var inFlight = 0
    /// Measured requests dropped (failed quorum, memory full, timed out).
    private(set) var droppedMeasured = 0
    /// Where the measured completions' time went.
    private(set) var breakdown = LatencyBreakdown()
    /// Requests in flight over time, seconds (for Little's law: L = λW).
    private var inSystem = TimeWeightedAverage(startTime: 0, initialValue: 0)
    /// Opt-in per-request trace of measured requests (nil: none), its replication index, and
    /// the rows written.
    private var traceSink: (any RequestTraceSink)?
    private var traceReplication = 0
    private var traced = 0

    init(run: RunSettings, metrics: consuming MeasurementCollector) {
        self.run = run
        self.metrics = metrics
    }

    /// Sends every measured request that leaves, as a row, to `sink`.
    mutating func enableTrace(_ sink: any RequestTraceSink, replication: Int) {
        traceSink = sink
        traceReplication = replication
    }

    /// A request arrived at `now`.
    @inline(__always)
    mutating func arrived(at now: SimTime) {
        arrivedTotal += 1
        changeInFlight(by: 1, at: now)
        if inFlight > peakInFlight { peakInFlight = inFlight }
    }

    /// A request completed at `now`.
    @inline(__always)
    mutating func completed(at now: SimTime) {
        changeInFlight(by: -1, at: now)
        completedTotal += 1
    }

    /// Records a measured completion of workload `workload` at `now`: its latency, its wait
    /// and its breakdown `parts` (and a trace row).
    @inline(__always)
    mutating func recordMeasured(latency: SimTime, waited: SimTime, parts: LatencyBreakdown.Components,
                                 workload: Int, arrival: SimTime, at now: SimTime) {
        metrics.record(latency: latency, wait: waited, at: now - measurementStart)
        breakdown.record(parts)
        if traceSink != nil { trace(workload: workload, arrival: arrival, at: now, outcome: .completed, parts: parts) }
    }

    /// A request of workload `workload`, arrived at `arrival`, left without an answer at `now`:
    /// counted as dropped (and traced when measured).
    mutating func dropped(workload: Int, arrival: SimTime, at now: SimTime) {
        changeInFlight(by: -1, at: now)
        droppedTotal += 1
        guard measuring else { return }
        droppedMeasured += 1
        if traceSink != nil { trace(workload: workload, arrival: arrival, at: now, outcome: .dropped, parts: nil) }
    }

    /// Whether measured completions reached `run.requests`.
    @inline(__always)
    var reachedRequestCount: Bool {
        if let target = run.requests { return metrics.completed >= target }
        return false
    }

    /// Safety valve: a scenario that drops almost everything would never reach its count of
    /// completions, so it stops after ten times as many drops (the summary warns).
    var reachedDropLimit: Bool {
        if let target = run.requests { return droppedMeasured >= 10 * target }
        return false
    }

    /// Warm-up by requests ends when that many requests have left (completed or dropped).
    var warmupRequestsLeft: Bool {
        run.warmupDuration == nil && completedTotal + droppedTotal >= run.warmupRequests
    }

    /// Starts the measurement window at `now` (the flow resets the stations' statistics).
    mutating func beginMeasurement(at now: SimTime) {
        measuring = true
        measurementStart = now
        inSystem.reset(at: SimTimeConversion.seconds(now))
    }

    /// Time-averaged number of requests in the system from the start of measurement to `now`.
    func meanInSystem(at now: SimTime) -> Double {
        measuring && now > measurementStart ? inSystem.mean(at: SimTimeConversion.seconds(now)) : 0
    }

    @inline(__always)
    private mutating func changeInFlight(by delta: Int, at now: SimTime) {
        inFlight += delta
        inSystem.update(at: SimTimeConversion.seconds(now), to: Double(inFlight))
    }

    private mutating func trace(workload: Int, arrival: SimTime, at now: SimTime, outcome: RequestTraceRow.Outcome,
                                parts: LatencyBreakdown.Components?) {
        traceSink?.record(RequestTraceRow(replication: traceReplication, request: traced, workload: workload,
                                          arrival: arrival, end: now, outcome: outcome, breakdown: parts))
        traced += 1
    }
}
