// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import SimCore

/// Decides, from snapshots taken at a fixed cadence of events, whether a replication is
/// unstable (docs/engine.md, "Stability detection"). It reads only simulated state, never the
/// wall clock, so the same seed stops at the same event.
///
/// At check k it sees, per watched resource r (each node's station, each bandwidth-shared link
/// direction), the backlog Q_k (jobs waiting; transfers in progress) and the cumulative
/// arrivals A_k and completions D_k. It stops the run when the first of these holds:
///
/// 1. request records held > `Limits.requestRecords` (memory: one record per request in
///    flight or abandoned call attempt);
/// 2. pending events > `Limits.pendingEvents` (memory of the future event list);
/// 3. backlog growth at some r, over the last G checks:
///    Q_{k−G} < Q_{k−G+1} < … < Q_k,  Q_k ≥ F,  and  Q_k − Q_{k−G} ≥ ε · (A_k − A_{k−G}),
///    with (G, F) = (`windowsWhenOverloaded`, `floorWhenOverloaded`) when the scenario alone
///    gives r an offered load ρ ≥ 1 that is not only an upper bound (`OfferedLoad`, on what
///    the node can really use: `Instability.Resource.verdictLoad`; `LinkLoad`), else
///    (`windows`, `floor`),
///    and ε = `keptShare`.
///
/// Criterion 3 is the signature of λ > μ: a queue fed faster than it drains keeps a share
/// 1 − μ/λ of its arrivals, so it rises at every check and by ε of its arrivals once ρ > 1/(1 − ε)
/// ≈ 1.053. A stable queue (ρ < 1) returns towards its mean: rising G times in a row, by ε of
/// its arrivals, from a level of F is the random walk's excursion, whose chance falls
/// geometrically with F (for M/M/1 at ρ = 0.999, P(Q ≥ 262,144) ≈ e^{−262}); with ρ ≥ 1 known
/// from the scenario, the observation only confirms it, so lower G and F suffice.
struct StabilityMonitor {
    /// The stated limits (docs/engine.md gives them with their memory).
    struct Limits: Sendable {
        /// Most request records held at once (≈ 250 bytes each with their events and queue
        /// entries: about 0.5 GB).
        var requestRecords = 1 << 21
        /// Most events pending at once (32 bytes each, up to twice that in the heap's storage).
        var pendingEvents = 1 << 22
        /// Checks of strictly rising backlog that criterion 3 needs, and its least backlog.
        var windows = 8
        var floor = 1 << 18
        /// The same for a resource the scenario already overloads (ρ ≥ 1).
        var windowsWhenOverloaded = 4
        var floorWhenOverloaded = 1024
        /// ε: the least share of the window's arrivals that the backlog must have kept.
        var keptShare = 0.05
        /// Most samples kept of the in-flight series (thinned by halves beyond).
        var seriesPoints = 64
    }

    /// What the probe read at one check.
    struct Snapshot {
        var time: SimTime
        var measuring: Bool
        var inFlight: Int
        var requestRecords: Int
        var pendingEvents: Int
        /// Per resource, in `resources` order.
        var backlog: [Int]
        var arrived: [Int]
        var completed: [Int]
    }

    let resources: [Instability.Resource]
    let limits: Limits
    /// The last `max(windows, windowsWhenOverloaded) + 1` snapshots, oldest first.
    private var recent: [Snapshot] = []
    /// Per resource: checks in a row at which its backlog rose.
    private var rising: [Int]
    private var series: [Instability.Sample] = []
    /// Keep every `seriesStride`-th check in the series.
    private var seriesStride = 1
    private var checks = 0

    init(resources: [Instability.Resource], limits: Limits = Limits()) {
        self.resources = resources
        self.limits = limits
        rising = Array(repeating: 0, count: resources.count)
    }

    /// Takes one snapshot; returns the evidence when the run must stop.
    mutating func observe(_ snapshot: Snapshot) -> Instability? {
        record(snapshot)
        if let previous = recent.last {
            for r in resources.indices {
                rising[r] = snapshot.backlog[r] > previous.backlog[r] ? rising[r] + 1 : 0
            }
        }
        recent.append(snapshot)
        let keep = max(limits.windows, limits.windowsWhenOverloaded) + 1
        if recent.count > keep { recent.removeFirst(recent.count - keep) }

        if snapshot.requestRecords > limits.requestRecords {
            return evidence(.inFlightLimit, at: snapshot, saturation: largestBacklog(), limit: limits.requestRecords)
        }
        if snapshot.pendingEvents > limits.pendingEvents {
            return evidence(.pendingEventsLimit, at: snapshot, saturation: largestBacklog(), limit: limits.pendingEvents)
        }
        for r in resources.indices {
            let overloaded = (resources[r].verdictLoad ?? 0) >= 1 && !resources[r].offeredLoadIsBound
            let windows = overloaded ? limits.windowsWhenOverloaded : limits.windows
            let floor = overloaded ? limits.floorWhenOverloaded : limits.floor
            guard rising[r] >= windows, snapshot.backlog[r] >= floor else { continue }
            let start = recent[recent.count - 1 - windows]
            let arrived = snapshot.arrived[r] - start.arrived[r]
            let kept = snapshot.backlog[r] - start.backlog[r]
            if arrived > 0, Double(kept) >= limits.keptShare * Double(arrived) {
                return evidence(.backlogGrowth, at: snapshot, saturation: saturation(r, windows: windows), limit: floor)
            }
        }
        return nil
    }

    /// Adds the check to the in-flight series, halving it (every other sample kept, stride
    /// doubled) when full.
    private mutating func record(_ snapshot: Snapshot) {
        defer { checks += 1 }
        guard checks % seriesStride == 0 else { return }
        series.append(.init(seconds: SimTimeConversion.seconds(snapshot.time), inFlight: snapshot.inFlight))
        if series.count >= limits.seriesPoints {
            series = stride(from: 0, to: series.count, by: 2).map { series[$0] }
            seriesStride *= 2
        }
    }

    /// Resource `r` over the last `windows` checks (fewer when fewer were made).
    private func saturation(_ r: Int, windows: Int) -> Instability.Saturation {
        let now = recent[recent.count - 1]
        let start = recent[max(0, recent.count - 1 - windows)]
        let seconds = SimTimeConversion.seconds(now.time - start.time)
        return .init(resource: resources[r], backlog: now.backlog[r], backlogBefore: start.backlog[r], windowSeconds: seconds,
                     arrivalRate: seconds > 0 ? Double(now.arrived[r] - start.arrived[r]) / seconds : 0,
                     completionRate: seconds > 0 ? Double(now.completed[r] - start.completed[r]) / seconds : 0)
    }

    /// The resource with the largest backlog now (the first on ties); nil when none has one.
    private func largestBacklog() -> Instability.Saturation? {
        guard let now = recent.last,
              let r = resources.indices.max(by: { now.backlog[$0] < now.backlog[$1] }),
              now.backlog[r] > 0 else { return nil }
        return saturation(r, windows: limits.windows)
    }

    private func evidence(_ criterion: Instability.Criterion, at snapshot: Snapshot,
                          saturation: Instability.Saturation?, limit: Int) -> Instability {
        var samples = series
        let last = Instability.Sample(seconds: SimTimeConversion.seconds(snapshot.time), inFlight: snapshot.inFlight)
        if samples.last != last { samples.append(last) }
        return Instability(criterion: criterion, stoppedAt: last.seconds, measuring: snapshot.measuring,
                           saturation: saturation, requestRecords: snapshot.requestRecords,
                           pendingEvents: snapshot.pendingEvents, inFlight: samples, limit: limit)
    }
}
