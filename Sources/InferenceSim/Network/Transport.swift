// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// Moves messages between nodes: how long a message of some size takes along a path, over a
/// protocol (docs/cost-models.md).
///
/// Per hop: one draw of the link's latency (plus one of its jitter, when it has one), plus the
/// wire bytes over the link's bandwidth;
/// each attempt is lost with the link's loss probability and retried after a retransmission
/// timeout (`retransmissionTimeout`, 200 ms as Linux's minimum TCP RTO — an assumption), so
/// the number of attempts is geometric. Every transfer sees the link's full bandwidth: there
/// is no sharing between concurrent transfers yet (issue 5 adds max–min fair sharing), so
/// heavily loaded links look faster than they are. Each link direction draws from its own
/// random stream `link/<index>/<a>-><b>`.
final class Transport {
    /// A precomputed way from one node to another over a protocol. A class, so that the
    /// request flow can reach legs through unmanaged references without copying their hops.
    final class Leg {
        let hops: [NetworkPaths.Hop]
        let costs: ProtocolCosts
        /// Queue protocol only: the broker's service time, drawn once per message.
        let brokerDelay: Sampler?
        let isResponse: Bool
        /// True when the leg always takes no time (same node, no protocol): callers then
        /// continue at once instead of scheduling an event.
        let isInstant: Bool

        init(hops: [NetworkPaths.Hop], costs: ProtocolCosts, brokerDelay: Sampler?, isResponse: Bool) {
            self.hops = hops
            self.costs = costs
            self.brokerDelay = brokerDelay
            self.isResponse = isResponse
            isInstant = hops.isEmpty && costs == .none && brokerDelay == nil
        }
    }

    static let retransmissionTimeout: SimTime = 200_000_000

    private let paths: NetworkPaths
    private let latency: [Sampler]
    private let jitter: [Sampler?]
    private let bitsPerSecond: [Double?]
    private let loss: [Double]
    /// Streams per link and direction: [2·link] forward, [2·link + 1] reverse.
    private let streams: [RandomStream]
    private let brokerStream: RandomStream

    init(config: ScenarioConfig, replication: Int) throws {
        paths = try NetworkPaths(nodes: config.nodes.map(\.name), links: config.links, routes: config.routes)
        latency = try config.links.enumerated().map { index, link in
            do { return try Sampler(link.latency) } catch {
                throw SimulationBuildError("link \(index) (`\(link.a)`–`\(link.b)`) latency: \(error)")
            }
        }
        jitter = try config.links.enumerated().map { index, link in
            do { return try link.jitter.map { try Sampler($0) } } catch {
                throw SimulationBuildError("link \(index) (`\(link.a)`–`\(link.b)`) jitter: \(error)")
            }
        }
        bitsPerSecond = config.links.map(\.bandwidthBitsPerSecond)
        loss = config.links.map(\.loss)
        streams = config.links.enumerated().flatMap { index, link in
            [RandomStream(seed: config.seed, replication: replication, name: "link/\(index)/\(link.a)->\(link.b)"),
             RandomStream(seed: config.seed, replication: replication, name: "link/\(index)/\(link.b)->\(link.a)")]
        }
        brokerStream = RandomStream(seed: config.seed, replication: replication, name: "broker")
        protocolOverrides = config.protocols
        brokerNode = config.nodes.first { $0.kind == .broker }
    }

    private let brokerNode: NodeSpec?
    private let protocolOverrides: [ProtocolSpec]

    /// The leg from `from` to `to` over `call` (in-process when nil). Throws when the nodes
    /// are not connected although the scenario has links.
    func leg(from: String, to: String, via call: CallProtocol?, isResponse: Bool) throws -> Leg {
        let costs = ProtocolCosts.of(call, overrides: protocolOverrides)
        if call == .queue {
            guard let broker = brokerNode else {
                throw SimulationBuildError("`via: queue` needs a broker node")
            }
            let delay = try broker.brokerServiceTime.map { try Sampler($0) }
            let toBroker = try hops(from: from, to: broker.name)
            let fromBroker = try hops(from: broker.name, to: to)
            return Leg(hops: toBroker + fromBroker, costs: costs, brokerDelay: delay, isResponse: isResponse)
        }
        return Leg(hops: try hops(from: from, to: to), costs: costs, brokerDelay: nil, isResponse: isResponse)
    }

    private func hops(from: String, to: String) throws -> [NetworkPaths.Hop] {
        if from == to || !paths.hasLinks { return [] }
        guard let path = paths.path(from: from, to: to) else {
            throw SimulationBuildError("no route from `\(from)` to `\(to)`")
        }
        return path
    }

    /// Time for a message with `payload` bytes to travel `leg`, drawing latencies now.
    func delay(_ leg: Leg, payload: Double) -> SimTime {
        let bytes = leg.costs.wireBytes(payload: payload, isResponse: leg.isResponse)
        var total = SimTimeConversion.nanoseconds(fromSeconds: bytes * leg.costs.codecSecondsPerByte)
        // Connection set-up before a call: each round trip crosses every hop there and back
        // (latency and jitter only: handshake packets are tiny).
        if !leg.isResponse {
            for _ in 0..<leg.costs.setupRoundTrips {
                for hop in leg.hops {
                    for direction in [hop.reversed, !hop.reversed] {
                        let stream = streams[2 * hop.link + (direction ? 1 : 0)]
                        let extra = jitter[hop.link]?.sample(stream) ?? 0
                        total += SimTimeConversion.nanoseconds(fromSeconds: latency[hop.link].sample(stream) + extra)
                    }
                }
            }
        }
        for hop in leg.hops {
            let stream = streams[2 * hop.link + (hop.reversed ? 1 : 0)]
            let serialization = bitsPerSecond[hop.link].map { bytes * 8 / $0 } ?? 0
            let p = loss[hop.link]
            while true {
                let extra = jitter[hop.link]?.sample(stream) ?? 0
                total += SimTimeConversion.nanoseconds(fromSeconds: latency[hop.link].sample(stream) + extra + serialization)
                if p == 0 || stream.nextUniform() >= p { break }
                total += Self.retransmissionTimeout
            }
        }
        if let broker = leg.brokerDelay {
            total += SimTimeConversion.nanoseconds(fromSeconds: broker.sample(brokerStream))
        }
        return total
    }
}
