// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// Moves messages between nodes: how long a message of some size takes along a path, over a
/// protocol (docs/cost-models.md).
///
/// Per hop: one draw of the link's latency (plus one of its jitter, when it has one);
/// each attempt is lost with the link's loss probability and retried after a retransmission
/// timeout (`retransmissionTimeout`, 200 ms as Linux's minimum TCP RTO — an assumption), so
/// the number of attempts is geometric. The bytes: over links whose bandwidth is shared
/// (`sharing: fair`, the default) the message is a flow of `BandwidthSharing`, which sends
/// its bytes — once more for every lost attempt on the path — at its max–min fair share and
/// then delivers it after the fixed delays above; over a link with `sharing: none` every
/// attempt adds the wire bytes over the full bandwidth. Each link direction draws from its
/// own random stream `link/<index>/<a>-><b>`.
///
/// Links that are sometimes down (`outages`, `failures`; `LinkAvailability`): a shared link's
/// outage stalls the flows over it (`BandwidthSharing`); on every other link each crossing —
/// every attempt of every hop and every handshake packet — waits until the link is up. Hops are
/// walked in order from the send time, each starting when the one before it ends (codec first;
/// the transmission time on shared links is not counted in this walk, an approximation). A
/// crossing that has started is not interrupted by an outage that begins during it.
final class Transport {
    /// A precomputed way from one node to another over a protocol. A class, so that the
    /// request flow can reach legs through unmanaged references without copying their hops.
    final class Leg {
        let hops: [NetworkPaths.Hop]
        let costs: ProtocolCosts
        /// Queue protocol only: the way to the broker (with the codec) and on from it to the
        /// consumer; the message waits at the broker's station between them.
        let viaBroker: (publish: Leg, consume: Leg)?
        /// The flow relays what is sent on this leg instead of timing it here: through the
        /// broker (`viaBroker != nil`), or, for a pipeline call whose receipt overlaps its send
        /// (`overlapsReceipt`), by handing the request on when its receipt is done too.
        let isRelayed: Bool
        /// A pipeline call's leg with `serverWorkStarts: withSend` as the flow's stage-to-stage
        /// table holds it (`overlappingReceipt()`): the call itself left when the send started.
        let overlapsReceipt: Bool
        /// Timeout and retries of calls on this leg (`protocols:`; nil: none).
        let callPolicy: CallPolicy?
        /// The keep-alive pool that calls on this leg take a connection from (`protocols:`;
        /// nil: none, every call pays the protocol's set-up).
        let pooling: ConnectionPooling?
        /// `pooling != nil`: connections are kept alive.
        let keepsAlive: Bool
        let isResponse: Bool
        /// True when the leg always takes no time (same node, no protocol): callers then
        /// continue at once instead of scheduling an event.
        let isInstant: Bool
        /// The `BandwidthSharing` path of the leg's shared links; −1 when it crosses none.
        let sharedPath: Int32
        /// Requests only: the protocol's fixed per-call time (`callOverhead`), drawn once per
        /// call attempt; nil: none.
        let callOverhead: CallOverheadDraw?

        init(hops: [NetworkPaths.Hop], costs: ProtocolCosts, isResponse: Bool, sharedPath: Int32 = -1,
             viaBroker: (publish: Leg, consume: Leg)? = nil, callPolicy: CallPolicy? = nil,
             pooling: ConnectionPooling? = nil, callOverhead: CallOverheadDraw? = nil) {
            self.callOverhead = isResponse ? nil : callOverhead
            self.callPolicy = callPolicy
            self.pooling = pooling
            keepsAlive = pooling != nil
            self.hops = hops
            self.sharedPath = sharedPath
            self.costs = costs
            self.viaBroker = viaBroker
            isRelayed = viaBroker != nil
            overlapsReceipt = false
            self.isResponse = isResponse
            isInstant = hops.isEmpty && costs == .none && viaBroker == nil && self.callOverhead == nil
        }

        /// A copy of `leg` that the flow relays as an overlapped call's hand-off.
        private init(overlapping leg: Leg) {
            precondition(leg.viaBroker == nil, "a brokered leg cannot overlap its receipt")
            hops = leg.hops
            costs = leg.costs
            viaBroker = nil
            isRelayed = true
            overlapsReceipt = true
            callPolicy = leg.callPolicy
            pooling = leg.pooling
            keepsAlive = leg.keepsAlive
            isResponse = leg.isResponse
            isInstant = false
            sharedPath = leg.sharedPath
            callOverhead = leg.callOverhead
        }

        /// This leg as a pipeline call's hand-off when its receipt overlaps the send
        /// (`serverWorkStarts: withSend`): sending on it hands the request on once the receipt is
        /// done (`OverlappedReceipts`); the call's message itself goes on this leg when the send starts.
        func overlappingReceipt() -> Leg { Leg(overlapping: self) }
    }

    /// A leg's per-call time distribution and the stream it draws from (its own, so that the
    /// key changes no other draw).
    final class CallOverheadDraw {
        let sampler: Sampler
        let stream: RandomStream
        /// The call's load factor f(ρ of the called node) (`callOverheadScaling`), fixed for
        /// the run; 1 without one.
        let factor: Double

        init(sampler: Sampler, stream: RandomStream, factor: Double = 1) {
            self.sampler = sampler
            self.stream = stream
            self.factor = factor
        }

        /// One call's overhead in nanoseconds: a draw times `factor`. Not inlined: the
        /// per-message path of scenarios without `callOverhead` stays as small as before
        /// (docs/performance.md).
        @inline(never)
        func next() -> SimTime {
            let seconds = sampler.sample(stream)
            return SimTimeConversion.nanoseconds(fromSeconds: factor == 1 ? seconds : seconds * factor)
        }
    }

    static let retransmissionTimeout: SimTime = 200_000_000

    private let paths: NetworkPaths
    /// Per link, what a crossing draws from (`LinkDraw`), reached by the per-message hot path
    /// without reference counting; `linkDraws` owns them.
    private let draws: FixedTable<UnownedRef<LinkDraw>>
    private let linkDraws: [LinkDraw]
    /// Bandwidth of links shared max–min fairly, by direction (nil without any).
    let sharing: BandwidthSharing?
    private let shared: [Bool]
    /// Streams per link and direction: [2·link] forward, [2·link + 1] reverse (they own what
    /// `draws` refers to).
    private let streams: [RandomStream]

    /// A link's latency and jitter samplers, its unshared bandwidth (`sharing: none`; nil
    /// when shared or unlimited), its loss probability and its two directions' streams. A
    /// class, so that a draw borrows its samplers in place: a sampler copied out of a table
    /// would retain and release its storage on every crossing.
    private final class LinkDraw {
        let latency: Sampler
        let jitter: Sampler?
        let bitsPerSecond: Double?
        let loss: Double
        let forward: UnownedRef<RandomStream>
        let reverse: UnownedRef<RandomStream>

        init(latency: Sampler, jitter: Sampler?, bitsPerSecond: Double?, loss: Double, forward: RandomStream,
             reverse: RandomStream) {
            self.latency = latency
            self.jitter = jitter
            self.bitsPerSecond = bitsPerSecond
            self.loss = loss
            self.forward = UnownedRef(forward)
            self.reverse = UnownedRef(reverse)
        }
    }
    /// Up/down periods of each link that is sometimes down (nil: always up).
    let availability: [LinkAvailability?]
    /// `availability` of the links whose crossings wait for them in `fixedDelay` (those that
    /// are not shared: shared links stall their flows instead).
    private let crossingAvailability: [LinkAvailability?]
    private let hasCrossingOutages: Bool
    /// The clock of the send times, read only when `hasCrossingOutages`.
    private unowned let engine: Engine

    init(config: ScenarioConfig, replication: Int, engine: Engine) throws {
        self.engine = engine
        paths = try NetworkPaths(nodes: config.nodes.map(\.name), links: config.links, routes: config.routes)
        let latency = try config.links.enumerated().map { index, link in
            do { return try Sampler(link.latency) } catch {
                throw SimulationBuildError("link \(index) (`\(link.a)`–`\(link.b)`) latency: \(error)")
            }
        }
        let jitter = try config.links.enumerated().map { index, link in
            do { return try link.jitter.map { try Sampler($0) } } catch {
                throw SimulationBuildError("link \(index) (`\(link.a)`–`\(link.b)`) jitter: \(error)")
            }
        }
        let shared = config.links.map { $0.bandwidthBitsPerSecond != nil && $0.sharing == .fair }
        self.shared = shared
        let availability = try config.links.enumerated().map { index, link -> LinkAvailability? in
            guard link.hasDowntime else { return nil }
            do {
                return try LinkAvailability(
                    outages: link.outages, failures: link.failures,
                    stream: RandomStream(seed: config.seed, replication: replication, name: "link/\(index)/updown"))
            } catch {
                throw SimulationBuildError("link \(index) (`\(link.a)`–`\(link.b)`): \(error)")
            }
        }
        self.availability = availability
        crossingAvailability = availability.indices.map { shared[$0] ? nil : availability[$0] }
        hasCrossingOutages = crossingAvailability.contains { $0 != nil }
        let sharedAvailability = availability.contains { $0 != nil } ? availability.flatMap { [$0, $0] } : []
        sharing = shared.contains(true)
            ? BandwidthSharing(capacities: config.links.flatMap { link in
                Array(repeating: link.bandwidthBitsPerSecond ?? .infinity, count: 2)
            }, availability: sharedAvailability)
            : nil
        let streams = config.links.enumerated().flatMap { index, link in
            [RandomStream(seed: config.seed, replication: replication, name: "link/\(index)/\(link.a)->\(link.b)"),
             RandomStream(seed: config.seed, replication: replication, name: "link/\(index)/\(link.b)->\(link.a)")]
        }
        self.streams = streams
        linkDraws = config.links.enumerated().map { index, link in
            LinkDraw(latency: latency[index], jitter: jitter[index],
                     bitsPerSecond: link.sharing == .fair ? nil : link.bandwidthBitsPerSecond, loss: link.loss,
                     forward: streams[2 * index], reverse: streams[2 * index + 1])
        }
        draws = FixedTable(linkDraws.map(UnownedRef.init))
        protocolOverrides = config.protocols
        scenario = config
        brokerNode = config.nodes.first { $0.kind == .broker }
        seed = config.seed
        self.replication = replication
    }

    private let brokerNode: NodeSpec?
    private let protocolOverrides: [ProtocolSpec]
    /// The scenario, for the called nodes' offered loads (`callOverheadScaling`).
    private let scenario: ScenarioConfig
    /// ρ per node (`OfferedLoad`), computed at the first call with a `callOverheadScaling`.
    private lazy var offeredLoads: [(node: String, load: Double)] = OfferedLoad.perNode(scenario)
    private let seed: UInt64
    private let replication: Int
    /// Legs with a `callOverhead` made so far per stream name, so that two calls between the
    /// same nodes over the same protocol get streams of their own.
    private var callOverheadLegs: [String: Int] = [:]

    /// The per-call time of a request from `from` to `to` over `call` with `effective`
    /// settings; nil without `callOverhead`. Stream `call/<from>-><to>/<protocol>/overhead`
    /// (then `#2`, `#3`... for further legs with the same ends and protocol). With a
    /// `callOverheadScaling`, every draw is multiplied by f(ρ of `to`, the called node).
    private func callOverheadDraw(from: String, to: String, via call: CallProtocol,
                                  effective: ProtocolSpec?) throws -> CallOverheadDraw? {
        guard let distribution = effective?.callOverhead else { return nil }
        let base = "call/\(from)->\(to)/\(call.rawValue)/overhead"
        let count = (callOverheadLegs[base] ?? 0) + 1
        callOverheadLegs[base] = count
        let name = count == 1 ? base : "\(base)#\(count)"
        let factor = effective?.callOverheadScaling.map { $0.factor(at: calledLoad(to)) } ?? 1
        do {
            return CallOverheadDraw(sampler: try Sampler(distribution),
                                    stream: RandomStream(seed: seed, replication: replication, name: name), factor: factor)
        } catch {
            throw SimulationBuildError("`callOverhead` of the `\(call.rawValue)` call from `\(from)` to `\(to)`: \(error)")
        }
    }

    /// The offered load ρ of `node` as `serviceTimeScaling: {by: utilization}` takes it (0 for
    /// a node that hosts no placement).
    func calledLoad(_ node: String) -> Double {
        offeredLoads.first { $0.node == node }?.load ?? 0
    }

    /// The leg from `from` to `to` over `call` (in-process when nil), with the called
    /// placement's own protocol settings `settings` over the scenario's. Throws when the nodes
    /// are not connected although the scenario has links.
    func leg(from: String, to: String, via call: CallProtocol?, settings: ProtocolSpec? = nil,
             isResponse: Bool) throws -> Leg {
        let effective = ProtocolSpec.effective(via: call, placement: settings, protocols: protocolOverrides)
        let costs = ProtocolCosts.of(call, settings: effective)
        let spec = isResponse ? nil : effective
        let policy = spec?.callPolicy
        let overhead = isResponse || call == nil ? nil : try callOverheadDraw(from: from, to: to, via: call!, effective: effective)
        if call == .queue {
            guard let broker = brokerNode else {
                throw SimulationBuildError("`via: queue` needs a broker node")
            }
            let toBroker = try hops(from: from, to: broker.name)
            let fromBroker = try hops(from: broker.name, to: to)
            // The codec is paid once, on the way in (encode at the producer, decode at the
            // consumer); the consumer's connection to the broker is long-lived.
            var onward = costs
            onward.codecSecondsPerByte = 0
            onward.setupRoundTrips = 0
            let publish = Leg(hops: toBroker, costs: costs, isResponse: isResponse, sharedPath: sharedPath(toBroker),
                              callOverhead: overhead)
            let consume = Leg(hops: fromBroker, costs: onward, isResponse: isResponse, sharedPath: sharedPath(fromBroker))
            return Leg(hops: toBroker + fromBroker, costs: costs, isResponse: isResponse, viaBroker: (publish, consume),
                       callPolicy: policy, callOverhead: overhead)
        }
        let path = try hops(from: from, to: to)
        return Leg(hops: path, costs: costs, isResponse: isResponse, sharedPath: sharedPath(path), callPolicy: policy,
                   pooling: spec?.pooling, callOverhead: overhead)
    }

    /// The sharing path of the shared link directions among `hops` (each once); −1 if none.
    private func sharedPath(_ hops: [NetworkPaths.Hop]) -> Int32 {
        var resources: [Int] = []
        for hop in hops where shared[hop.link] {
            let resource = 2 * hop.link + (hop.reversed ? 1 : 0)
            if !resources.contains(resource) { resources.append(resource) }
        }
        guard let sharing, !resources.isEmpty else { return -1 }
        return sharing.path(over: resources)
    }

    private func hops(from: String, to: String) throws -> [NetworkPaths.Hop] {
        if from == to || !paths.hasLinks { return [] }
        guard let path = paths.path(from: from, to: to) else {
            throw SimulationBuildError("no route from `\(from)` to `\(to)`")
        }
        return path
    }

    /// A message's time on a leg, and the parts of it that the latency breakdown names.
    struct LegTime {
        /// Everything but shared links' transmission, nanoseconds.
        var total: SimTime
        /// Protocol time: encode + decode and the call's `callOverhead`, nanoseconds (part of
        /// `total`).
        var serialization: SimTime
        /// Attempts lost on the whole path.
        var lostAttempts: Int
    }

    /// Time for a message with `payload` bytes to travel `leg`, drawing latencies now. Only
    /// for legs that cross no shared link (`sharedPath < 0`): others go through `transfer`.
    /// A request opens its connection first unless `reusesConnection` (a pooled connection
    /// already open).
    func delay(_ leg: Leg, payload: Double, reusesConnection: Bool = false) -> LegTime {
        fixedDelay(leg, bytes: leg.costs.wireBytes(payload: payload, isResponse: leg.isResponse),
                   reusesConnection: reusesConnection)
    }

    /// Sends a message with `payload` bytes along `leg`, which crosses shared links: its fixed
    /// delays are drawn now, its bytes (once per attempt) join the bandwidth sharing, and it
    /// arrives as event `kind`/`id` at `target`. Returns the fixed part of its time.
    func transfer(_ leg: Leg, payload: Double, target: HandlerID, kind: Int32, id: Int64, engine: Engine,
                  reusesConnection: Bool = false) -> LegTime {
        let bytes = leg.costs.wireBytes(payload: payload, isResponse: leg.isResponse)
        let time = fixedDelay(leg, bytes: bytes, reusesConnection: reusesConnection)
        sharing!.transfer(bits: 8 * bytes * Double(1 + time.lostAttempts), path: leg.sharedPath,
                          delayAfterDrain: time.total, target: target, kind: kind, payload: id, engine: engine)
        return time
    }

    /// Everything but the shared links' transmission: codec, the call's fixed overhead
    /// (requests with a `callOverhead`), set-up round trips (requests that open a connection), per hop the latency and jitter of every attempt, retransmission
    /// timeouts, unshared serialisation; and the number of attempts lost on the whole path.
    private func fixedDelay(_ leg: Leg, bytes: Double, reusesConnection: Bool) -> LegTime {
        var lost = 0
        var codec = SimTimeConversion.nanoseconds(fromSeconds: bytes * leg.costs.codecSecondsPerByte)
        if let overhead = leg.callOverhead { codec = SimTimeConversion.adding(codec, overhead.next()) }
        var total = codec
        let sent = hasCrossingOutages ? engine.now : 0
        // Connection set-up before a call: each round trip crosses every hop there and back
        // (latency and jitter only: handshake packets are tiny).
        // Hops by index and link draws through a pointer: nothing here is reference counted.
        let hopCount = leg.hops.count
        if !leg.isResponse && !reusesConnection {
            for _ in 0..<leg.costs.setupRoundTrips {
                for h in 0..<hopCount {
                    let hop = leg.hops[h]
                    for trip in 0..<2 {  // there, then back
                        let reversed = trip == 0 ? hop.reversed : !hop.reversed
                        if hasCrossingOutages { total = upOffset(link: hop.link, sent: sent, offset: total) }
                        total = SimTimeConversion.adding(
                            total, SimTimeConversion.nanoseconds(fromSeconds: crossingSeconds(hop.link, reversed: reversed)))
                    }
                }
            }
        }
        for h in 0..<hopCount {
            let hop = leg.hops[h]
            let (serialization, p) = draws[hop.link].withObject { draw in
                (draw.bitsPerSecond.map { bytes * 8 / $0 } ?? 0, draw.loss)
            }
            while true {
                if hasCrossingOutages { total = upOffset(link: hop.link, sent: sent, offset: total) }
                total = SimTimeConversion.adding(total, SimTimeConversion.nanoseconds(
                    fromSeconds: crossingSeconds(hop.link, reversed: hop.reversed, serialization: serialization)))
                if p == 0 || stream(hop.link, reversed: hop.reversed).withObject({ $0.nextUniform() }) >= p {
                    break
                }
                lost += 1
                total = SimTimeConversion.adding(total, Self.retransmissionTimeout)
            }
        }
        return LegTime(total: min(total, SimTimeConversion.maxDuration), serialization: codec, lostAttempts: lost)
    }

    /// The stream of `link` in one direction.
    @inline(__always)
    private func stream(_ link: Int, reversed: Bool) -> UnownedRef<RandomStream> {
        draws[link].withObject { reversed ? $0.reverse : $0.forward }
    }

    /// One crossing of `link` in seconds: latency + jitter (+ `serialization`), the jitter
    /// drawn first, from the direction's stream.
    @inline(__always)
    private func crossingSeconds(_ link: Int, reversed: Bool, serialization: Double? = nil) -> Double {
        draws[link].withObject { draw in
            (reversed ? draw.reverse : draw.forward).withObject { stream in
                let extra = draw.jitter?.sample(stream) ?? 0
                let latency = draw.latency.sample(stream)
                return serialization.map { latency + extra + $0 } ?? latency + extra
            }
        }
    }

    /// The offset from `sent` at which a crossing of `link` that is ready at `sent + offset`
    /// starts: at once when the link is up, else when it is up again.
    private func upOffset(link: Int, sent: SimTime, offset: SimTime) -> SimTime {
        guard let availability = crossingAvailability[link] else { return offset }
        return availability.upAt(sent + offset) - sent
    }
}
