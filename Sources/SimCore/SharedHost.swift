// SPDX-License-Identifier: GPL-3.0-or-later

/// One physical machine whose `cores` CPU cores are shared by the jobs in service at every
/// station on it (`HostedStation`: co-located servers, containers or processes).
///
/// Every job in service on any member is one runnable thread. With N runnable threads on the
/// host, each progresses at r(N) = min(1, C / N) (C = `cores`): a job of work w alone takes w,
/// and with N > C threads it is slowed down by N / C. Each member keeps its own FIFO queue
/// and its own limit on jobs in service (its workers, or a thread pool's size); the host only
/// decides how fast the admitted jobs progress. docs/cost-models.md ("Shared hosts") gives
/// the formulas.
///
/// **Virtual time** (`SharedCoreClock`, as in `ProcessorSharingStation`): one virtual clock
/// and one finish tag per job for every job on the host; every admission or departure on any
/// member reschedules the one pending completion. Equal finish tags complete in admission order.
///
/// Statistics: busy core-time ∫ min(N, C) dt since `statisticsStart` (`utilization`).
/// Invariant: N = Σ over members of their `inService`.
public final class SharedHost: EventHandler {
    public let name: String
    /// Cores shared by every job in service on the host, ≥ 1.
    public let cores: Int
    /// This host's id in its engine.
    public private(set) var id: HandlerID = -1
    /// The stations on this host, by member index (the host keeps them alive).
    public private(set) var members: [HostedStation] = []

    /// The jobs in service on every member and their virtual clock.
    private var clock = SharedCoreClock()

    /// When the statistics were last reset.
    public private(set) var statisticsStart: SimTime = 0
    /// ∫ min(N, C) dt from `statisticsStart` to `integratedUntil`, core·ns.
    private var busyCoreArea: Double = 0
    private var integratedUntil: SimTime = 0

    /// Creates the host and registers it with `engine`.
    public init(name: String, cores: Int, engine: Engine) {
        precondition(cores >= 1, "a host needs at least one core")
        self.name = name
        self.cores = cores
        self.id = engine.register(self)
    }

    /// Runnable threads now: the jobs in service on every member (N).
    public var runnable: Int { clock.count }

    /// Cores busy now: min(N, C).
    public var busyCores: Int { Swift.min(clock.count, cores) }

    /// The rate at which each job in service progresses: min(1, C / N); 0 when idle.
    private var rate: Double {
        let n = clock.count
        guard n > 0 else { return 0 }
        return n <= cores ? 1 : Double(cores) / Double(n)
    }

    /// Adds `station` as the next member; returns its member index.
    func join(_ station: HostedStation) -> Int32 {
        members.append(station)
        return Int32(members.count - 1)
    }

    /// A job of `work` ns from member `member` starts service now (the host was advanced to now).
    func admit(_ job: Int64, member: Int32, work: SimTime, now: SimTime) {
        clock.admit(job, work: work, now: now, member: member)
    }

    /// A completion event: the job with the smallest finish tag leaves its station, which may
    /// admit its next waiting job (stale events are ignored).
    public func handle(_ event: Event, engine: Engine) {
        guard clock.isLive(event.payload) else { return }
        let now = engine.now
        advance(to: now)
        let done = clock.finishFirst()
        let station = members[Int(done.member)]
        station.jobLeft(now: now)
        reschedule(engine: engine)
        let slowdown = Swift.max(0, now &- done.admittedAt &- done.work)
        station.delegate.serviceCompleted(done.job, slowdown: slowdown, at: station, engine: engine)
    }

    /// Brings the virtual clock and the busy-core integral to `now` (the state since the last
    /// change held).
    func advance(to now: SimTime) {
        busyCoreArea += Double(now &- integratedUntil) * Double(busyCores)
        integratedUntil = now
        let rate = rate
        clock.advance(to: now, rate: rate)
    }

    /// Schedules the completion of the job with the smallest finish tag (once per instant).
    func reschedule(engine: Engine) {
        let rate = rate
        guard let next = clock.nextCompletion(rate: rate, now: engine.now) else { return }
        engine.schedule(at: next.time, target: id, payload: next.payload)
    }

    /// Clears the busy-core integral at `time` (≥ the last event); the jobs in service stay.
    /// (The virtual clock is not advanced here, so a reset never changes when jobs finish.)
    public func resetStatistics(at time: SimTime) {
        busyCoreArea = 0
        integratedUntil = time
        statisticsStart = time
    }

    /// ∫ min(N, C) dt since `statisticsStart`, core·ns (`time` ≥ the last event).
    public func busyCoreTime(at time: SimTime) -> Double {
        busyCoreArea + Double(time &- integratedUntil) * Double(busyCores)
    }

    /// Busy core-time over C × the time since `statisticsStart`, in 0...1.
    public func utilization(at time: SimTime) -> Double {
        let span = Double(time &- statisticsStart) * Double(cores)
        return span > 0 ? busyCoreTime(at: time) / span : 0
    }
}
