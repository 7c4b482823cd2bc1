// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel
import SimCore

/// A node group compiled for one replication: its `count` identical members, each one
/// station named `NAME[i]` (docs/scenario-format.md, "Node groups").
///
/// Members share everything but their queue: the group's hardware, workers, links (a link on
/// the group applies to every member, so a leg to or from the group is computed once, not per
/// member) and service-time samplers. Memory is one station per member; there is no
/// per-member-pair state.
final class NodeGroup {
    /// The group as declared (its `count` is the number of members).
    let node: NodeSpec
    /// The members' stations, member i at index i. Owned by the engine too.
    let members: [FIFOStation]

    init(node: NodeSpec, members: [FIFOStation]) {
        precondition(!members.isEmpty, "a node group has at least one member")
        self.node = node
        self.members = members
    }

    /// The name of member `index` of group `group`: `cams[0]`, `cams[1]`, …
    static func memberName(_ group: String, index: Int) -> String { "\(group)[\(index)]" }

    /// The node spec of one member: the group's, under the member's name, as a single node.
    static func memberSpec(_ group: NodeSpec, index: Int) -> NodeSpec {
        var member = group
        member.name = memberName(group.name, index: index)
        member.count = nil
        return member
    }

    /// The group as one `NodeResult` over the measured window ending at `end` (`seconds`
    /// long): utilisation = Σ busy worker-time / Σ available worker-time over the members;
    /// mean queue length, arrivals, completions, power, energy and money are sums over the
    /// members; `utilizationMax` is the busiest member's utilisation.
    func result(hardware: HardwareSpec?, measuring: Bool, end: SimTime, seconds: Double) -> NodeResult {
        var busy = 0.0, available = 0.0, queue = 0.0, arrivals = 0, completions = 0, busiest = 0.0
        var memberArrivals = Array(repeating: 0, count: members.count)
        if measuring {
            for (index, station) in members.enumerated() {
                memberArrivals[index] = station.arrivals
                let memberBusy = station.busyWorkerTime(at: end), memberAvailable = station.availableWorkerTime(at: end)
                busy += memberBusy
                available += memberAvailable
                busiest = max(busiest, memberAvailable > 0 ? memberBusy / memberAvailable : 0)
                queue += station.meanQueueLength(at: end)
                arrivals += station.arrivals
                completions += station.completions
            }
        }
        let count = members.count
        let utilization = available > 0 ? busy / available : 0
        let instances = Double(node.instances * count)
        let power = NodeAccounting.meanPower(node: node, hardware: hardware, instances: instances,
                                             busyInstances: instances * min(max(utilization, 0), 1))
        let price = Double(count) * NodeAccounting.pricePerHour(node: node, hardware: hardware)
        return NodeResult(
            name: node.name, kind: node.kind, workers: node.totalWorkers * count, instances: node.instances,
            instancesMean: Double(node.instances), instancesMax: node.instances, pool: nil,
            utilization: utilization, meanQueueLength: queue, arrivals: arrivals, completions: completions,
            meanPowerWatts: power, energyJoules: power * seconds, costUSD: price * seconds / 3600, costPerHour: price,
            members: count, utilizationMax: busiest, memberArrivals: memberArrivals)
    }
}
