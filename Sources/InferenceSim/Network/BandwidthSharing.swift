// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// Flow-level max–min fair sharing of link bandwidth (docs/cost-models.md, "Bandwidth
/// sharing").
///
/// Every link direction with a finite bandwidth is a *resource* of that many bits per second.
/// A transfer over a path that crosses resources is a *flow* with a volume of bits; all flows
/// in progress share the resources max–min fairly (progressive filling: the resource whose
/// remaining capacity per unfixed flow is smallest fixes the rate of every unfixed flow that
/// crosses it at that share; repeat until every flow has a rate). Rates are recomputed
/// whenever a flow starts or drains. A flow drains at its rate across all its resources at
/// once (a pipelined, cut-through fluid: a path's rate is its bottleneck share, not the sum
/// of per-hop serialisations); when its last bit has left, the message is delivered after
/// its fixed delay (propagation, codec, handshakes, retransmission timeouts), as event
/// `kind`/`payload` to `target`.
///
/// A link that is down (`LinkAvailability`) has capacity 0 in both directions: the flows that
/// cross it stall (rate 0) and the others share what is left as usual. Rates are then also
/// recomputed when a link crossed by a flow in progress goes down or comes up again.
///
/// Deterministic: flows are kept in start order (a sequence number) and resources are scanned
/// by index, so ties never depend on hashing. Only scenarios with a bandwidth-limited link
/// create one; nothing else pays for it.
final class BandwidthSharing: EventHandler {
    /// A transfer in progress. Plain values only, so the array never retains anything.
    private struct Flow {
        var sequence: UInt64
        var path: Int32
        var remainingBits: Double
        /// Current share, bits per second (0 until the first allocation).
        var rate: Double
        var delayAfterDrain: SimTime
        var target: HandlerID
        var kind: Int32
        var payload: Int64
    }

    /// Capacity per resource, bits per second.
    private let capacity: [Double]
    /// Up/down periods per resource (nil: always up); empty when no link is ever down.
    private let availability: [LinkAvailability?]
    /// The resources with up/down periods.
    private let intermittent: [Int]
    /// Resource lists of the registered paths.
    private var paths: [[Int]] = []
    /// The same, flattened for the allocation: path p crosses
    /// `pathResources[pathStart[p] ..< pathStart[p + 1]]`.
    private var pathResources: [Int] = []
    private var pathStart: [Int] = [0]
    private var flows: [Flow] = []
    private var nextSequence: UInt64 = 0
    /// When `remainingBits` of every flow were last brought up to date.
    private var lastUpdate: SimTime = 0
    /// Only the drain check scheduled last is live; earlier ones are ignored when they fire.
    private var generation: Int64 = 0
    private var handlerID: HandlerID = -1
    // Scratch space of the allocation, reused: raw memory, so the allocation's inner loops make
    // no copy-on-write checks (per resource: residual capacity and unfixed flows; per flow:
    // whether its rate is fixed).
    private let residual: UnsafeMutablePointer<Double>
    private let unfixedCount: UnsafeMutablePointer<Int>
    private var fixed: UnsafeMutablePointer<Bool>
    private var fixedCapacity = 64

    /// Transfers that drained, since the start of the run.
    private(set) var transfersCompleted = 0

    /// Transfers started since the start of the run (drained or in progress).
    var transfersStarted: Int { transfersCompleted + flows.count }

    /// Transfers in progress over each resource (link direction), by resource index: the
    /// backlog the stability monitor watches (`StabilityProbe`). O(flows); off the hot path.
    func transfersInProgress() -> [Int] {
        var counts = [Int](repeating: 0, count: capacity.count)
        for flow in flows {
            let p = Int(flow.path)
            for r in pathResources[pathStart[p] ..< pathStart[p + 1]] { counts[r] += 1 }
        }
        return counts
    }

    /// `capacities[r]`: bits per second of resource r (a link direction); `availability[r]`,
    /// when given, says when resource r is down (empty: always up).
    init(capacities: [Double], availability: [LinkAvailability?] = []) {
        precondition(availability.isEmpty || availability.count == capacities.count)
        capacity = capacities
        self.availability = availability
        intermittent = availability.indices.filter { availability[$0] != nil }
        residual = .allocate(capacity: max(1, capacities.count))
        residual.initialize(repeating: 0, count: max(1, capacities.count))
        unfixedCount = .allocate(capacity: max(1, capacities.count))
        unfixedCount.initialize(repeating: 0, count: max(1, capacities.count))
        fixed = .allocate(capacity: fixedCapacity)
        fixed.initialize(repeating: false, count: fixedCapacity)
    }

    deinit {
        residual.deallocate()
        unfixedCount.deallocate()
        fixed.deallocate()
    }

    /// Registers a path over `resources` (indices into `capacities`, no repeats) and returns
    /// its id; equal paths share an id.
    func path(over resources: [Int]) -> Int32 {
        precondition(!resources.isEmpty && resources.allSatisfy { capacity.indices.contains($0) })
        if let known = paths.firstIndex(of: resources) { return Int32(known) }
        paths.append(resources)
        pathResources += resources
        pathStart.append(pathResources.count)
        return Int32(paths.count - 1)
    }

    /// Registers for the drain checks' events. Called once, before the first transfer.
    func start(engine: Engine) {
        handlerID = engine.register(self)
    }

    /// Starts a transfer of `bits` over `path`; `delayAfterDrain` after its last bit has left,
    /// event `kind`/`payload` reaches `target`.
    func transfer(bits: Double, path: Int32, delayAfterDrain: SimTime, target: HandlerID, kind: Int32,
                  payload: Int64, engine: Engine) {
        precondition(handlerID >= 0, "start(engine:) first")
        guard bits > 0 else {
            engine.schedule(after: delayAfterDrain, target: target, kind: kind, payload: payload)
            return
        }
        advance(to: engine.now)
        flows.append(Flow(sequence: nextSequence, path: path, remainingBits: bits, rate: 0,
                          delayAfterDrain: delayAfterDrain, target: target, kind: kind, payload: payload))
        nextSequence &+= 1
        reallocate(engine: engine)
    }

    func handle(_ event: Event, engine: Engine) {
        guard event.payload == generation else { return }
        advance(to: engine.now)
        // A flow within a nanosecond of its end has drained (completion times are rounded up
        // to whole nanoseconds). Removal keeps start order.
        var kept = 0
        for i in flows.indices {
            let flow = flows[i]
            if flow.remainingBits <= flow.rate * 1e-9 + 1e-6 {
                transfersCompleted += 1
                engine.schedule(after: flow.delayAfterDrain, target: flow.target, kind: flow.kind, payload: flow.payload)
            } else {
                flows[kept] = flow
                kept += 1
            }
        }
        flows.removeLast(flows.count - kept)
        reallocate(engine: engine)
    }

    /// Transfers in progress.
    var activeFlows: Int { flows.count }

    /// The current rate of the active flows in start order, bits per second (for tests).
    var currentRates: [Double] { flows.map(\.rate) }

    private func advance(to now: SimTime) {
        let elapsed = SimTimeConversion.seconds(now - lastUpdate)
        lastUpdate = now
        guard elapsed > 0 else { return }
        for i in flows.indices {
            flows[i].remainingBits = max(0, flows[i].remainingBits - flows[i].rate * elapsed)
        }
    }

    /// Max–min fair rates by progressive filling, then the next drain check (or, sooner, the
    /// next time a link crossed by a flow goes down or comes up).
    private func reallocate(engine: Engine) {
        generation &+= 1
        guard !flows.isEmpty else { return }
        for r in capacity.indices {
            residual[r] = capacity[r]
            unfixedCount[r] = 0
        }
        let flowCount = flows.count
        if flowCount > fixedCapacity {
            fixed.deallocate()
            fixedCapacity = max(flowCount, 2 * fixedCapacity)
            fixed = .allocate(capacity: fixedCapacity)
            fixed.initialize(repeating: false, count: fixedCapacity)
        }
        fixed.update(repeating: false, count: flowCount)
        let residual = residual, unfixedCount = unfixedCount, fixed = fixed
        pathResources.withUnsafeBufferPointer { resources in
            pathStart.withUnsafeBufferPointer { start in
                for flow in flows {
                    let p = Int(flow.path)
                    for k in start[p]..<start[p + 1] { unfixedCount[resources[k]] += 1 }
                }
            }
        }
        var nextChange = SimTime.max
        for r in intermittent where unfixedCount[r] > 0 {
            let link = availability[r]!
            if link.isDown(at: engine.now) { residual[r] = 0 }
            nextChange = min(nextChange, link.nextChange(after: engine.now))
        }
        let soonest = pathResources.withUnsafeBufferPointer { resources in
            pathStart.withUnsafeBufferPointer { start in
                flows.withUnsafeMutableBufferPointer { flows -> Double in
                    var unfixed = flowCount
                    while unfixed > 0 {
                        var bottleneck = -1
                        var share = Double.infinity
                        for r in capacity.indices where unfixedCount[r] > 0 {
                            let candidate = residual[r] / Double(unfixedCount[r])
                            if candidate < share {
                                share = candidate
                                bottleneck = r
                            }
                        }
                        precondition(bottleneck >= 0, "an unfixed flow crosses no resource")
                        for i in 0..<flowCount where !fixed[i] {
                            let p = Int(flows[i].path)
                            var crosses = false
                            for k in start[p]..<start[p + 1] where resources[k] == bottleneck { crosses = true }
                            guard crosses else { continue }
                            fixed[i] = true
                            flows[i].rate = share
                            unfixed -= 1
                            for k in start[p]..<start[p + 1] {
                                let r = resources[k]
                                residual[r] = max(0, residual[r] - share)
                                unfixedCount[r] -= 1
                            }
                        }
                    }
                    var soonest = Double.infinity
                    for flow in flows where flow.rate > 0 { soonest = min(soonest, flow.remainingBits / flow.rate) }
                    return soonest
                }
            }
        }
        var wait = soonest < 4e9 ? SimTime((soonest * 1e9).rounded(.up)) : SimTime.max
        if nextChange != .max { wait = min(wait, nextChange - engine.now) }
        guard wait != .max else { return }  // every flow stalls on a link that never comes up
        engine.schedule(after: max(wait, 0), target: handlerID, payload: generation)
    }
}
