// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Samples every station into a `Timeline` each `interval`, from t = interval, while anything
/// but periodic handlers is pending. Only created when the timeline is requested.
final class TimelineSampler: EventHandler {
    struct Probe {
        var node: NodeSpec
        var hardware: HardwareSpec?
        var station: any ServiceStation
        var autoscaler: Autoscaler?
        var intervals = StationIntervals()
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
            let delta = probes[index].intervals.advance(probes[index].station, to: now)
            let probe = probes[index]
            let serving = probe.autoscaler?.servingCount ?? probe.node.instances
            let booting = probe.autoscaler?.bootingCount ?? 0
            let busyInstances = delta.span > 0 ? delta.busy / delta.span / Double(probe.node.workers) : 0
            timeline.rows.append(Timeline.Row(
                time: SimTimeConversion.seconds(now), node: index, instances: serving + booting, booting: booting,
                workers: probe.station.workers, busyWorkers: probe.station.busyWorkers, queue: probe.station.waiting,
                utilization: delta.available > 0 ? delta.busy / delta.available : 0,
                powerWatts: NodeAccounting.meanPower(node: probe.node, hardware: probe.hardware,
                                                     instances: Double(serving + booting), busyInstances: busyInstances)))
        }
        if engine.pendingEvents > periodicPeers { engine.schedule(at: now + interval, target: id) }
    }
}
