// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Power, energy and money of a node over a measured window (docs/cost-models.md).
///
/// Power is linear in utilisation between the hardware's idle and busy power, per instance:
/// P = instances · (P_idle + (P_busy − P_idle) · u), where a power mode caps P_busy at its
/// watt cap. A node without hardware draws nothing (its energy is reported as 0). Money is
/// the node's price per hour (its own, else its hardware's, else 0) times instances times
/// hours — billed exactly for a fixed pool; an autoscaled pool is billed per instance
/// lifetime with a minimum period (`PoolHistory.billedSeconds`).
public enum NodeAccounting {
    /// Mean power in watts at utilisation `utilization` (0...1) of a fixed node.
    public static func meanPower(node: NodeSpec, hardware: HardwareSpec?, utilization: Double) -> Double {
        let instances = Double(node.instances)
        return meanPower(node: node, hardware: hardware, instances: instances,
                         busyInstances: instances * min(max(utilization, 0), 1))
    }

    /// Mean power in watts of `instances` instances on average (booting ones draw idle
    /// power), of which `busyInstances` worth of worker-time was busy:
    /// P = instances · P_idle + busyInstances · (P_busy − P_idle).
    public static func meanPower(node: NodeSpec, hardware: HardwareSpec?, instances: Double,
                                 busyInstances: Double) -> Double {
        guard let hardware else { return 0 }
        var busy = hardware.busyPowerWatts
        if let modeName = node.powerMode, let mode = hardware.powerModes.first(where: { $0.name == modeName }) {
            busy = min(busy, mode.powerCapWatts)
        }
        let idle = hardware.idlePowerWatts
        return instances * idle + busyInstances * (busy - idle)
    }

    /// Dollars per hour the node costs (all its fixed instances; spot ones at the spot price).
    public static func pricePerHour(node: NodeSpec, hardware: HardwareSpec?) -> Double {
        let spot = node.spot.map { $0.spotInstances(of: node.instances) } ?? 0
        return Double(node.instances - spot) * instancePrice(node: node, hardware: hardware)
            + Double(spot) * (node.spot?.pricePerHour ?? 0)
    }

    /// Dollars per hour of one instance: the node's price, else its hardware's, else 0.
    public static func instancePrice(node: NodeSpec, hardware: HardwareSpec?) -> Double {
        node.pricePerHour ?? hardware?.pricePerHour ?? 0
    }
}
