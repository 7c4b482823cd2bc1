// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Samples every station into a `Timeline` each `interval`, from t = interval, while anything
/// but periodic handlers is pending. Only created when the timeline is requested.
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
    private let interval: SimTime
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
        if engine.pendingEvents > periodicPeers { engine.schedule(at: now + interval, target: id) }
    }
}
