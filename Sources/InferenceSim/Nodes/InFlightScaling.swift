// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

/// A model's `serviceTimeScaling` resolved for a run: f(n) tabulated for every whole number of
/// requests n in the node up to the last point's x (f is constant beyond it), so a service
/// start costs one array read (docs/cost-models.md, "Load-dependent service time").
struct InFlightScaling: Sendable {
    /// factors[n] = f(n) for n = 0 … ⌈last x⌉; f(0) is never asked for (the starting request counts).
    private let factors: [Double]

    init(_ scaling: ServiceTimeScaling) {
        let last = Int(scaling.points.last!.x.rounded(.up))
        factors = (0...max(last, 1)).map { scaling.factor(at: Double($0)) }
    }

    /// f(n) for n requests in the node, the starting one included.
    func factor(inNode n: Int) -> Double { factors[min(n, factors.count - 1)] }

    /// f at `station`'s state while a service starts there: every busy worker (the starting
    /// request's included) plus every waiting request.
    func factor(at station: FIFOStation) -> Double { factor(inNode: station.busyWorkers + station.waiting) }
}
