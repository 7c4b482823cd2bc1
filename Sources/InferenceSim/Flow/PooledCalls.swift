// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import Results
import SimCore

/// The pooled-calls part of the request flow: calls over keep-alive connection pools
/// (`poolSize`; docs/cost-models.md, "Protocols"). An entry call (single, pipeline, cascade)
/// or a fan-out branch attempt takes a stream of its pool at once when one is free, else it
/// waits in the pool's queue; when its answer is in (or its caller gives up on it) the stream
/// goes to the longest waiting call that is still wanted.
///
/// It owns the measured counts; the pools' state is `ConnectionPools`'s (owned by the plan,
/// which the flow keeps alive, so it is reached as an `UnownedRef`). Off until `configure`.
final class PooledCalls {
    private var pools: UnownedRef<ConnectionPools>?
    /// Whether any call is pooled.
    private(set) var isOn = false
    /// Measured window: pooled calls, connections opened, waits for a stream.
    private(set) var counts = ConnectionCounts()

    /// Turns the part on over `pools` (the plan's).
    func configure(pools: ConnectionPools) {
        self.pools = UnownedRef(pools)
        isOn = true
    }

    /// The pool of fan-out branch `branch`'s calls, nil when they are not pooled.
    @inline(__always)
    func branchPool(_ branch: Int) -> Int? {
        guard let pool = pools?.withObject({ $0.branchPool[branch] }), pool >= 0 else { return nil }
        return Int(pool)
    }

    /// Sends request `slot`'s entry call over its workload's pool (per source member when the
    /// source is a node group); false when the workload's entry calls are not pooled.
    func callEntry(slot: Int, workload: Int, flow: RequestFlow, engine: Engine) -> Bool {
        guard let pools, pools.withObject({ $0.entryPool[workload] >= 0 }) else { return false }
        let pool = pools.withObject { pools in
            let first = Int(pools.entryPool[workload])
            guard pools.entryPerMember[workload], let groupRouting = flow.groupRouting else { return first }
            return first + groupRouting.withObject { $0.sourceMember(slot: slot) }
        }
        call(over: pool, id: Int64(slot), flow: flow, engine: engine)
        return true
    }

    /// A call over pool `pool`: the entry call of request `id` (chain, cascade) or branch
    /// attempt `id` (fan-out). It goes at once when a stream is free, else it waits.
    func call(over pool: Int, id: Int64, flow: RequestFlow, engine: Engine) {
        guard let pools else { preconditionFailure("a pooled call without pools") }
        let now = engine.now
        if flow.measuring { counts.calls += 1 }
        guard let grant = pools.withObject({ $0.acquire(pool: pool, now: now) }) else {
            pools.withObject { $0.wait(pool: pool, id: id, now: now) }
            return
        }
        start(id: id, grant: grant, flow: flow, engine: engine)
    }

    /// Call `id` got a stream (`grant`): it remembers the connection and goes.
    private func start(id: Int64, grant: ConnectionPools.Grant, flow: RequestFlow, engine: Engine) {
        if flow.measuring && grant.opens { counts.opened += 1 }
        if flow.shape == .fanOut {
            let job = JobID(rawValue: id).firstAttempt
            let branch = flow.layout.branch(of: job)
            let slot = flow.layout.slot(of: job)
            flow.fanOut.branchTimes[job.index].connection = grant.connection
            flow.send(flow.tables.forward[branch], payload: flow.requests[slot].payload * flow.tables.share[branch],
                      kind: .atStation, id: id, engine: engine, opensConnection: grant.opens)
        } else {
            let slot = Int(id)
            flow.requests[slot].connection = grant.connection
            flow.send(flow.tables.entry[Int(flow.requests[slot].workload)], payload: flow.requests[slot].payload,
                      kind: .atStation, id: id, engine: engine, opensConnection: grant.opens)
        }
    }

    /// Gives back the stream of a finished call; the pool's longest waiting call that is still
    /// wanted takes it. A branch attempt nobody waits for any more (timed out, or its request
    /// joined or failed) leaves the queue without a stream.
    func release(_ connection: Int32, abandoned: Bool, flow: RequestFlow, engine: Engine) {
        guard let pools else { preconditionFailure("a pooled call without pools") }
        let now = engine.now
        let pool = pools.withObject { $0.release(connection: connection, now: now, abandoned: abandoned) }
        while let waiter = pools.withObject({ $0.nextWaiter(pool: pool) }) {
            let attempt = JobID(rawValue: waiter.id), job = attempt.firstAttempt
            let slot = flow.layout.slot(of: job)
            if flow.shape == .fanOut {
                if !flow.requests[slot].flags.isDisjoint(with: .settled)
                    || (flow.branchRetries.isOn && flow.fanOut.branchTimes[job.index].attempt != attempt.attempt) {
                    flow.release(slot)  // the attempt's answer will never come
                    continue
                }
                flow.fanOut.branchTimes[job.index].queueing += now - waiter.since
            } else if flow.requests[slot].flags.contains(.abandoned) {
                flow.release(slot)  // given up on before it was sent
                continue
            }
            flow.requests[slot].waited += now - waiter.since
            if flow.measuring {
                counts.waited += 1
                counts.waitSeconds += SimTimeConversion.seconds(now - waiter.since)
            }
            guard let grant = pools.withObject({ $0.freeStream(pool: pool, now: now) }) else {
                preconditionFailure("a pool offered a waiter without a free stream")
            }
            start(id: waiter.id, grant: grant, flow: flow, engine: engine)
            return
        }
    }

    /// The entry call of `slot` is over (answer back, or request dropped): its stream is free.
    func releaseEntryConnection(slot: Int, flow: RequestFlow, engine: Engine) {
        let connection = flow.requests[slot].connection
        guard connection >= 0 else { return }
        flow.requests[slot].connection = -1
        release(connection, abandoned: false, flow: flow, engine: engine)
    }
}
