// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel
import SimCore

/// The busy core-time of each shared host during measurement (summary.json `hosts`), for the
/// hosts that nodes running a placement or front work (`DeploymentSpec.servingNodes`) are on,
/// in file order.
enum HostLoads {
    /// `built`: the hosts the simulation built (their integrals restart with the measurement);
    /// a host that was not built (it never slows anything: `FlowPlanBuilder.hostSharesCores`)
    /// has N ≤ cores all along (or one processor-sharing node on its cores), so its busy cores
    /// are the sum of its nodes' busy workers, read from their `stations` since each one's
    /// statistics start. `seconds`: the measured window ending at `end` (0 when not measuring).
    static func loads(config: ScenarioConfig, built: [SharedHost], stations: [(node: NodeSpec, station: any ServiceStation)],
                      end: SimTime, seconds: Double) -> [HostLoad] {
        let placed = Set(config.deployment.servingNodes)
        return config.hosts.compactMap { host in
            let members = stations.filter { $0.node.host == host.name && placed.contains($0.node.name) }
            guard !members.isEmpty else { return nil }
            var busy = 0.0
            if seconds > 0 {
                if let shared = built.first(where: { $0.name == host.name }) {
                    busy = shared.busyCoreTime(at: end) / 1e9
                } else {
                    let meanBusy = members.reduce(0.0) { sum, member in
                        let span = Double(end - member.station.statisticsStart)
                        return sum + (span > 0 ? member.station.busyWorkerTime(at: end) / span : 0)
                    }
                    busy = meanBusy * seconds
                }
            }
            return HostLoad(name: host.name, cores: host.cores, busyCoreSeconds: busy, measuredSeconds: seconds)
        }
    }
}
