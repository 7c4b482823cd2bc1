// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

/// The keep-alive connection pools of one replication (docs/cost-models.md, "Connection
/// pools"): per caller, called node and protocol with a `ConnectionPooling`, `poolSize`
/// connections of `streamsPerConnection` streams each.
///
/// A call takes a stream: on an open connection that already carries calls and has a stream
/// free (lowest index first: calls pack onto connections, as HTTP/2 clients do), else on the
/// idle open connection used most recently (a LIFO pool keeps few connections warm), else it
/// opens a closed one (paying the protocol's set-up round trips); with none left it waits, in
/// order of arrival. A connection idle for `idleTimeout` or longer counts as closed. Waiting
/// calls are served by the flow (`nextWaiter`) whenever a stream frees up, so it can skip calls
/// whose request no longer waits for them. Linear scans over a pool's connections: pools are
/// small (tens of connections) in the scenarios this models.
final class ConnectionPools {
    /// A stream taken on connection `connection`; `opens` when the call opens it first.
    struct Grant: Equatable {
        var connection: Int32
        var opens: Bool
    }

    /// A call waiting for a stream since `since`; `id` is the flow's name for it.
    struct Waiter {
        var id: Int64
        var since: SimTime
    }

    private struct Pool {
        var first: Int
        var size: Int
        var streams: Int32
        /// Nanoseconds; `SimTime.max` when connections are never closed for idleness.
        var idleTimeout: SimTime
        /// HTTP/1.1: a call given up on leaves its connection unusable (HTTP/2 resets the stream).
        var closesOnAbandon: Bool
        var waiters: [Waiter] = []
        var head = 0
    }

    private var pools: [Pool] = []
    /// Per connection: calls it carries now, whether it is open, when it last became idle,
    /// and its pool.
    private var inUse: [Int32] = []
    private var isOpen: [Bool] = []
    private var idleSince: [SimTime] = []
    private var poolOf: [Int32] = []

    /// Per workload: the first pool of its entry call (one per member of a source group, at
    /// `first + member`), or −1 when its entry call is not pooled.
    let entryPool: [Int32]
    /// Per workload: whether its source is a node group (pool chosen by source member).
    let entryPerMember: [Bool]
    /// Per stage (fan-out deployments): the pool of the call to that branch, or −1.
    let branchPool: [Int32]

    /// A pooled call from `caller` (a node group of `callerMembers` members, or one node when
    /// 1) to `callee` over `call`.
    struct Site {
        var caller: String
        var callerMembers: Int
        var callee: String
        var call: CallProtocol
        var pooling: ConnectionPooling
    }

    /// Pools for the entry calls of each workload and the calls to each branch (nil where a
    /// call is not pooled). Calls with the same caller, callee and protocol share pools.
    init(entrySites: [Site?], branchSites: [Site?]) {
        var poolByKey: [String: Int32] = [:]
        var pools: [Pool] = []
        var connections = 0
        func poolIndex(_ site: Site?) -> Int32 {
            guard let site else { return -1 }
            let pooling = site.pooling
            let key = "\(site.caller)\u{0}\(site.callee)\u{0}\(site.call.rawValue)\u{0}\(pooling.poolSize)/"
                + "\(pooling.streamsPerConnection)/\(pooling.idleTimeout ?? -1)"
            if let existing = poolByKey[key] { return existing }
            let index = Int32(pools.count)
            for _ in 0..<site.callerMembers {
                let idle = site.pooling.idleTimeout.map { SimTimeConversion.nanoseconds(fromSeconds: $0) } ?? .max
                pools.append(Pool(first: connections, size: site.pooling.poolSize,
                                  streams: Int32(site.pooling.streamsPerConnection), idleTimeout: idle,
                                  closesOnAbandon: site.call == .rest))
                connections += site.pooling.poolSize
            }
            poolByKey[key] = index
            return index
        }
        entryPool = entrySites.map(poolIndex)
        entryPerMember = entrySites.map { ($0?.callerMembers ?? 1) > 1 }
        branchPool = branchSites.map(poolIndex)
        self.pools = pools
        inUse = Array(repeating: 0, count: connections)
        isOpen = Array(repeating: false, count: connections)
        idleSince = Array(repeating: 0, count: connections)
        poolOf = pools.indices.flatMap { index in Array(repeating: Int32(index), count: pools[index].size) }
    }

    /// A stream of pool `pool` for a call at `now`, or nil when the call must wait (every
    /// stream busy, or earlier calls waiting).
    func acquire(pool index: Int, now: SimTime) -> Grant? {
        pools[index].head < pools[index].waiters.count ? nil : freeStream(pool: index, now: now)
    }

    /// A free stream of pool `pool` at `now`, taken, whether or not calls wait; nil if none.
    func freeStream(pool index: Int, now: SimTime) -> Grant? {
        let pool = pools[index]
        var idle = -1
        var closed = -1
        for connection in pool.first..<(pool.first + pool.size) {
            let open = isOpen[connection] && (inUse[connection] > 0 || now - idleSince[connection] < pool.idleTimeout)
            if !open {
                if closed < 0 { closed = connection }
            } else if inUse[connection] > 0 {
                if inUse[connection] < pool.streams { return take(connection, opens: false) }
            } else if idle < 0 || idleSince[connection] > idleSince[idle] {
                idle = connection
            }
        }
        if idle >= 0 { return take(idle, opens: false) }
        if closed >= 0 { return take(closed, opens: true) }
        return nil
    }

    private func take(_ connection: Int, opens: Bool) -> Grant {
        inUse[connection] += 1
        isOpen[connection] = true
        return Grant(connection: Int32(connection), opens: opens)
    }

    /// Queues call `id` of pool `pool`, waiting since `now`.
    func wait(pool index: Int, id: Int64, now: SimTime) {
        pools[index].waiters.append(Waiter(id: id, since: now))
    }

    /// A call on `connection` is over at `now`, answered or (`abandoned`) given up on: an
    /// HTTP/1.1 client then closes the connection (the late answer would arrive on it), an
    /// HTTP/2 client resets the stream and keeps the connection. Returns the connection's
    /// pool, whose waiters the caller serves next.
    func release(connection: Int32, now: SimTime, abandoned: Bool) -> Int {
        let c = Int(connection)
        let pool = Int(poolOf[c])
        inUse[c] -= 1
        if inUse[c] == 0 { idleSince[c] = now }
        if abandoned && pools[pool].closesOnAbandon { isOpen[c] = false }
        return pool
    }

    /// The call that has waited longest in pool `pool`, removed from the queue, when a stream
    /// is free for it (the caller then takes one with `freeStream`, or skips a call nobody
    /// waits for any more); nil when none waits or no stream is free.
    func nextWaiter(pool index: Int) -> Waiter? {
        guard pools[index].head < pools[index].waiters.count, hasFreeStream(pool: index) else { return nil }
        let waiter = pools[index].waiters[pools[index].head]
        pools[index].head += 1
        if pools[index].head == pools[index].waiters.count {
            pools[index].waiters.removeAll(keepingCapacity: true)
            pools[index].head = 0
        } else if pools[index].head >= 1024 && pools[index].head * 2 >= pools[index].waiters.count {
            pools[index].waiters.removeFirst(pools[index].head)
            pools[index].head = 0
        }
        return waiter
    }

    /// Whether a connection of pool `pool` has a stream free (a closed one has all of them).
    private func hasFreeStream(pool index: Int) -> Bool {
        let pool = pools[index]
        return (pool.first..<(pool.first + pool.size)).contains { inUse[$0] < pool.streams }
    }
}
