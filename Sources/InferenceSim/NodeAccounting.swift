// SPDX-License-Identifier: GPL-3.0-or-later

/// Power, energy and money of a node over a measured window (docs/cost-models.md).
///
/// Power is linear in utilisation between the hardware's idle and busy power, per instance:
/// P = instances · (P_idle + (P_busy − P_idle) · u), where a power mode caps P_busy at its
/// watt cap. A node without hardware draws nothing (its energy is reported as 0). Money is
/// the node's price per hour (its own, else its hardware's, else 0) times instances times
/// hours — billed exactly, without a minimum period (cloud billing rules come with the cloud
/// model).
public enum NodeAccounting {
    /// Mean power in watts at utilisation `utilization` (0...1).
    public static func meanPower(node: NodeSpec, hardware: HardwareSpec?, utilization: Double) -> Double {
        guard let hardware else { return 0 }
        var busy = hardware.busyPowerWatts
        if let modeName = node.powerMode, let mode = hardware.powerModes.first(where: { $0.name == modeName }) {
            busy = min(busy, mode.powerCapWatts)
        }
        let idle = hardware.idlePowerWatts
        return Double(node.instances) * (idle + (busy - idle) * min(max(utilization, 0), 1))
    }

    /// Dollars per hour the node costs.
    public static func pricePerHour(node: NodeSpec, hardware: HardwareSpec?) -> Double {
        Double(node.instances) * (node.pricePerHour ?? hardware?.pricePerHour ?? 0)
    }
}
