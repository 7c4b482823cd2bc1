// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ServiceTimeScaling {
    /// How a placement of a model with this scaling runs on `node`: `utilization` becomes one
    /// factor f(ρ) on the stage's scale, ρ the node's offered load (`OfferedLoad`, unscaled
    /// service times); `inFlight` a table read at every service start.
    func resolved(node: String, offeredLoads: [(node: String, load: Double)]) -> (scale: Double, inFlight: InFlightScaling?) {
        switch variable {
        case .utilization:
            let load = offeredLoads.first { $0.node == node }?.load ?? 0
            return (factor(at: load), nil)
        case .inFlight:
            return (1, InFlightScaling(self))
        }
    }
}
