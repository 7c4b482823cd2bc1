// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The offered load of each bandwidth-limited link direction, from the scenario alone
/// (docs/cost-models.md, "Offered load of a link"):
///
///     ρ = Σ_messages λ_w · 8 · W · (1 + Σ_hops p/(1 − p)) / (bandwidth · A)
///
/// over the messages of every workload w (mean arrival rate λ_w) whose path crosses the
/// direction: W is a message's mean wire bytes (`ProtocolCosts.wireBytes` of the mean payload:
/// the workload's `payload` for requests, scaled by a part's share in fan-outs, the model's
/// `outputBytes` for answers), the factor (1 + Σ p/(1 − p)) the expected resends over the
/// path's lossy hops (each resend carries the bytes again), and A the long-run availability of
/// a link with random `failures` (1 without). The messages per request follow the deployment:
/// single and pipeline — the request to the first stage, each stage's output to the next, the
/// last output back to the source; collaborative and distributed — the request to the dispatch
/// node, every branch's share of it out and its answer to the join node, the largest output
/// back; a cascade — the request to the first stage, and the escalations to each later stage
/// whose share of the requests `CascadeReach` knows exactly (the second stage's
/// P(confidence < threshold) under synthetic accuracy, every stage's under log replay); bounded
/// shares and the answers are left out; a `via: queue` call crosses the way to the broker and on
/// from it. Call retries, broker redeliveries and a cascade's other messages are not counted
/// (they only add load), so ρ is a lower bound, exact for other deployments without retries
/// or redeliveries. Over a shared link (`sharing: fair`)
/// ρ ≥ 1 means that transfers arrive faster than the link can carry them: flows pile up
/// without bound, every transfer slows down, and the simulation itself slows with the number
/// of flows in progress.
public enum LinkLoad {
    /// One direction of one link with a bandwidth.
    public struct Direction: Sendable, Equatable {
        /// Index of the link in `links`.
        public var link: Int
        public var from: String
        public var to: String
        /// Offered load ρ (dimensionless).
        public var load: Double
        /// Offered bits per second (resends included).
        public var bitsPerSecond: Double
        /// The link's bandwidth, bits per second.
        public var bandwidth: Double
        /// Whether transfers share the bandwidth (`sharing: fair`): only then do they slow each
        /// other down and pile up when ρ ≥ 1.
        public var shared: Bool

        /// `link.<index>.<from>-><to>`, as the planner names the constraint.
        public var key: String { "link.\(link).\(from)->\(to)" }
    }

    /// ρ of every direction of every link with a `bandwidth` that some message crosses, in link
    /// order (forward direction first). Empty when the paths cannot be computed (the loader
    /// reports such scenarios).
    public static func perDirection(_ config: ScenarioConfig) -> [Direction] {
        guard config.links.contains(where: { $0.bandwidthBitsPerSecond != nil }),
              let paths = try? NetworkPaths(nodes: config.nodes.map(\.name), links: config.links, routes: config.routes)
        else { return [] }
        let broker = config.nodes.first { $0.kind == .broker }?.name
        var offered = [Double](repeating: 0, count: 2 * config.links.count)
        for message in messages(config) where message.rate > 0 {
            let settings = ProtocolSpec.effective(via: message.via, placement: message.settings, protocols: config.protocols)
            let costs = ProtocolCosts.of(message.via, settings: settings)
            let bits = 8 * costs.wireBytes(payload: message.payload, isResponse: message.isResponse)
            let ways = message.via == .queue && broker != nil
                ? [(message.from, broker!), (broker!, message.to)] : [(message.from, message.to)]
            for (from, to) in ways where from != to {
                guard let hops = paths.path(from: from, to: to) else { continue }
                let resends = hops.reduce(0.0) { $0 + config.links[$1.link].loss / (1 - config.links[$1.link].loss) }
                var crossed: [Int] = []
                for hop in hops {
                    let direction = 2 * hop.link + (hop.reversed ? 1 : 0)
                    if crossed.contains(direction) { continue }  // a flow crosses a direction once
                    crossed.append(direction)
                    offered[direction] += message.rate * bits * (1 + resends)
                }
            }
        }
        return config.links.enumerated().flatMap { index, link -> [Direction] in
            guard let bandwidth = link.bandwidthBitsPerSecond else { return [] }
            let capacity = bandwidth * (link.failures?.availability ?? 1)
            return [(link.a, link.b, offered[2 * index]), (link.b, link.a, offered[2 * index + 1])]
                .filter { $0.2 > 0 }
                .map { Direction(link: index, from: $0.0, to: $0.1, load: $0.2 / capacity, bitsPerSecond: $0.2,
                                 bandwidth: bandwidth, shared: link.sharing == .fair) }
        }
    }

    /// The directions offered a load of 1 or more — except over a `sharing: none` link that
    /// names a node group: that link stands for one link per member, and its summed load is
    /// not the load of any one of them.
    public static func overloaded(_ config: ScenarioConfig) -> [Direction] {
        let groups = Set(config.nodes.filter { $0.count != nil }.map(\.name))
        return perDirection(config).filter { direction in
            direction.load >= 1 && (direction.shared || !(groups.contains(direction.from) || groups.contains(direction.to)))
        }
    }

    /// A warning for each direction offered a load of 1 or more.
    public static func warnings(for config: ScenarioConfig) -> [String] {
        overloaded(config).map(warning)
    }

    /// Why `direction` is a problem, and what to do (one line: `problem`; `hint`).
    public static func warning(_ direction: Direction) -> String {
        problem(direction) + "; " + hint
    }

    /// What an offered load ≥ 1 on `direction` means for the run.
    public static func problem(_ direction: Direction) -> String {
        let load = (direction.load * 1000).rounded() / 1000
        let rates = "\(megabits(direction.bitsPerSecond)) Mbit/s offered on \(megabits(direction.bandwidth)) Mbit/s"
        let effect = direction.shared
            ? "its transfers pile up without bound, so latencies depend on the run length and the run slows down as flows accumulate"
            : "with `sharing: none` transfers do not slow each other, so the simulated latencies ignore this overload"
        return "link \(direction.link) (`\(direction.from)` → `\(direction.to)`) is offered a load of \(load) (≥ 1; \(rates)): \(effect)"
    }

    /// What to do about an overloaded link.
    public static let hint = "raise its `bandwidth`, send less (smaller payloads or outputs), or place the model nearer its data"

    private static func megabits(_ bitsPerSecond: Double) -> String {
        let value = bitsPerSecond / 1e6
        let rounded = value >= 100 ? value.rounded() : (value * 100).rounded() / 100
        return rounded == rounded.rounded() && rounded < 1e15 ? String(Int64(rounded)) : String(rounded)
    }

    /// Every kind of message the deployment sends per request of each workload.
    private static func messages(_ config: ScenarioConfig) -> [RequestMessages.Message] {
        let placements = config.deployment.placements
        guard !placements.isEmpty else { return [] }
        let outputs = placements.map { placement in
            config.models.first { $0.name == placement.model }?.outputBytes ?? FlowPlan.defaultOutputBytes
        }
        let reaches = CascadeReach.perPlacement(config)
        let kind = config.deployment.kind
        var result: [RequestMessages.Message] = []
        for workload in config.workloads {
            var request = RequestMessages(placements: placements, outputs: outputs, reaches: reaches, source: workload.source,
                                          payload: workload.payloadBytes?.mean ?? 0, rate: workload.arrivals.meanRate)
            kind.addMessages(to: &request)
            result += request.messages
        }
        return result
    }
}
