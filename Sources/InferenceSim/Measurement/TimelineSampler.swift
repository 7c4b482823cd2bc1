// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel
import SimCore

/// Samples every station into a `Timeline` each `interval`, from t = interval, while anything
/// but periodic handlers is pending. Only created when the timeline is requested.
///
/// A run that lasts far longer than expected (a link latency of years, an overloaded node)
/// would add rows without bound: when a node has `rowsBeforeThinning` rows, every two
/// consecutive samples are merged into one at the later time (its instant values; the means
/// of the two intervals' utilisation and power) and the interval doubles, so the timeline
/// stays as if sampled at the doubled interval from the start, in bounded memory.
final class TimelineSampler: EventHandler {
    /// One node of the timeline: a single node's station, or every member of a node group
    /// (one row for the group: sums, and utilisation over the members' worker-time).
    struct Probe {
        var node: NodeSpec
        var hardware: HardwareSpec?
        var stations: [any ServiceStation]
        var autoscaler: Autoscaler?
        var intervals: [StationIntervals]

        init(node: NodeSpec, hardware: HardwareSpec?, stations: [any ServiceStation], autoscaler: Autoscaler?) {
            self.node = node
            self.hardware = hardware
            self.stations = stations
            self.autoscaler = autoscaler
            intervals = Array(repeating: StationIntervals(), count: stations.count)
        }
    }

    private var probes: [Probe]
    private(set) var timeline: Timeline
    private var interval: SimTime
    /// Rows per node at which samples are merged in pairs (4 × `Timeline.maxRowsPerNode`:
    /// runs of about their expected length never reach it).
    static let rowsBeforeThinning = 4 * Timeline.maxRowsPerNode
    private var id: HandlerID = -1
    /// Periodic handlers besides this one (see `Autoscaler.periodicPeers`).
    let periodicPeers: Int

    init(interval: Double, probes: [Probe], periodicPeers: Int, engine: Engine) {
        self.probes = probes
        self.periodicPeers = periodicPeers
        self.interval = max(1, SimTimeConversion.nanoseconds(fromSeconds: interval))
        timeline = Timeline(interval: interval, nodes: probes.map(\.node.name))
        id = engine.register(self)
        engine.schedule(at: engine.now + self.interval, target: id)
    }

    func handle(_ event: Event, engine: Engine) {
        let now = engine.now
        for index in probes.indices {
            var busy = 0.0, available = 0.0, span = 0.0, workers = 0, busyWorkers = 0, queue = 0
            for member in probes[index].stations.indices {
                let station = probes[index].stations[member]
                let delta = probes[index].intervals[member].advance(station, to: now)
                busy += delta.busy
                available += delta.available
                span = delta.span
                workers += station.workers
                busyWorkers += station.busyWorkers
                queue += station.waiting
            }
            let probe = probes[index]
            let serving = (probe.autoscaler?.servingCount ?? probe.node.instances) * probe.stations.count
            let booting = probe.autoscaler?.bootingCount ?? 0
            let busyInstances = span > 0 ? busy / span / Double(probe.node.workers) : 0
            timeline.rows.append(Timeline.Row(
                time: SimTimeConversion.seconds(now), node: index, instances: serving + booting, booting: booting,
                workers: workers, busyWorkers: busyWorkers, queue: queue,
                utilization: available > 0 ? busy / available : 0,
                powerWatts: NodeAccounting.meanPower(node: probe.node, hardware: probe.hardware,
                                                     instances: Double(serving + booting), busyInstances: busyInstances)))
        }
        if !probes.isEmpty, timeline.rows.count >= Self.rowsBeforeThinning * probes.count { thin() }
        if engine.pendingEvents > periodicPeers { engine.schedule(at: now + interval, target: id) }
    }

    /// Merges samples 2k and 2k + 1 into one at the later time and doubles the interval.
    private func thin() {
        let nodes = probes.count
        let samples = timeline.rows.count / nodes
        var merged: [Timeline.Row] = []
        merged.reserveCapacity(samples / 2 * nodes)
        for pair in 0..<samples / 2 {
            for node in 0..<nodes {
                let first = timeline.rows[2 * pair * nodes + node]
                var row = timeline.rows[(2 * pair + 1) * nodes + node]
                row.utilization = (first.utilization + row.utilization) / 2
                row.powerWatts = (first.powerWatts + row.powerWatts) / 2
                merged.append(row)
            }
        }
        timeline.rows = merged
        interval *= 2
        timeline.interval *= 2
    }
}
