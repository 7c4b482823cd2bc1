// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel
import SimCore

/// Reads what `StabilityMonitor` watches from one built replication: every station (a node,
/// or a group member `NAME[i]`) and every bandwidth-shared link direction, with the offered
/// load the scenario alone gives each (`OfferedLoad`, `LinkLoad`). Read-only: taking a
/// snapshot changes nothing in the simulation.
final class StabilityProbe {
    private let stations: [any ServiceStation]
    private let sharing: BandwidthSharing?
    /// Resource indices of the shared link directions (2 · link + reversed), in watch order.
    private let linkResources: [Int]
    /// What the monitor calls each watched resource: stations first, then link directions.
    let resources: [Instability.Resource]
    /// Per station: arrivals and completions before its last statistics reset, and when that was.
    private var carried: [(arrivals: Int, completions: Int, since: SimTime, lastArrivals: Int, lastCompletions: Int)]

    /// `stations` with the node each belongs to (a group member: its group) and `transport`'s
    /// shared links.
    init(stations: [(station: any ServiceStation, node: String)], transport: Transport, config: ScenarioConfig) {
        let nodeLoads = OfferedLoad.estimates(config)
        self.stations = stations.map(\.station)
        var resources = stations.map { station, node in
            let estimate = nodeLoads.first { $0.node == node }
            return Instability.Resource(kind: .node, name: station.name, offeredLoad: estimate?.load,
                                        offeredLoadIsBound: estimate.map { !$0.isExact } ?? false,
                                        offeredLoadOnCapacity: estimate?.capacity == nil ? nil : estimate?.loadOnCapacity)
        }
        sharing = transport.sharing
        var linkResources: [Int] = []
        if sharing != nil {
            let linkLoads = LinkLoad.perDirection(config)
            for (index, link) in config.links.enumerated()
            where link.bandwidthBitsPerSecond != nil && link.sharing == .fair {
                for (reversed, from, to) in [(false, link.a, link.b), (true, link.b, link.a)] {
                    linkResources.append(2 * index + (reversed ? 1 : 0))
                    let load = linkLoads.first { $0.link == index && $0.from == from && $0.to == to }?.load
                    // Retries and redeliveries are not in LinkLoad's ρ: it is a lower bound, so
                    // it confirms overload but never rules it out (docs/cost-models.md).
                    resources.append(.init(kind: .link, name: "link.\(index).\(from)->\(to)", offeredLoad: load,
                                           offeredLoadIsBound: false))
                }
            }
        }
        self.linkResources = linkResources
        self.resources = resources
        carried = stations.map { _ in (0, 0, 0, 0, 0) }
    }

    /// The state now.
    func snapshot(flow: RequestFlow, engine: Engine) -> StabilityMonitor.Snapshot {
        var backlog: [Int] = [], arrived: [Int] = [], completed: [Int] = []
        backlog.reserveCapacity(resources.count)
        for (i, station) in stations.enumerated() {
            // A statistics reset (the end of warm-up) restarts the station's counters: carry
            // what they held at the last check (arrivals between that check and the reset are
            // not counted, which only lowers the window's arrivals once).
            if station.statisticsStart != carried[i].since {
                carried[i].arrivals += carried[i].lastArrivals
                carried[i].completions += carried[i].lastCompletions
                carried[i].since = station.statisticsStart
            }
            carried[i].lastArrivals = station.arrivals
            carried[i].lastCompletions = station.completions
            backlog.append(station.backlog)
            arrived.append(carried[i].arrivals + station.arrivals)
            completed.append(carried[i].completions + station.completions)
        }
        if let sharing {
            let inProgress = sharing.transfersInProgress()
            for resource in linkResources {
                backlog.append(inProgress[resource])
                arrived.append(sharing.transfersStarted)
                completed.append(sharing.transfersCompleted)
            }
        }
        return .init(time: engine.now, measuring: flow.measuring, inFlight: flow.accounting.inFlight,
                     requestRecords: flow.requestRecords, pendingEvents: engine.pendingEvents,
                     backlog: backlog, arrived: arrived, completed: completed)
    }
}
