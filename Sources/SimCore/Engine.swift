// SPDX-License-Identifier: GPL-3.0-or-later

/// The discrete-event engine: a clock, a future event list and a run loop.
///
/// **Ordering rule.** Events run in increasing `time`; events with equal `time` run in the
/// order in which they were scheduled (each `schedule` call takes the next sequence number).
/// The clock is advanced to an event's time *before* its handler runs, and never moves
/// backwards: scheduling into the past is a programming error and traps.
///
/// The engine knows nothing about what is simulated: it delivers `Event`s to registered
/// `EventHandler`s. It reads no wall clock and draws no random numbers, so a run is a pure
/// function of the handlers' own state.
public final class Engine {
    /// The current simulated time (the time of the event being handled, or of the last one).
    public private(set) var now: SimTime = 0
    /// Events delivered so far.
    public private(set) var eventsProcessed: UInt64 = 0

    @usableFromInline var queue: EventQueue
    @usableFromInline var nextSequence: UInt64 = 0
    /// The registered handlers, reached by the run loop without reference counting.
    private var handlers = HandlerTable()

    @usableFromInline var stopRequested = false

    public init(initialQueueCapacity: Int = 1024) {
        queue = EventQueue(initialCapacity: initialQueueCapacity)
    }

    /// Why `run` returned.
    public enum StopReason: Sendable, Equatable {
        /// A handler called `stop()`.
        case stopped
        /// No events were left.
        case exhausted
        /// The next event lies beyond the time limit (the clock is set to the limit).
        case timeLimit
    }

    /// Registers a handler and returns the id that events use to reach it.
    public func register(_ handler: any EventHandler) -> HandlerID {
        handlers.register(handler)
    }

    /// Number of events waiting in the future event list.
    public var pendingEvents: Int { queue.count }

    /// Schedules `kind`/`payload` for `target` at absolute time `time` (≥ `now`).
    @inlinable
    public func schedule(at time: SimTime, target: HandlerID, kind: Int32 = 0, payload: Int64 = 0) {
        precondition(time >= now, "cannot schedule an event in the past")
        queue.push(Event(time: time, sequence: nextSequence, target: target, kind: kind, payload: payload))
        nextSequence &+= 1
    }

    /// Schedules `kind`/`payload` for `target` after `delay` (≥ 0) nanoseconds.
    @inlinable
    public func schedule(after delay: SimTime, target: HandlerID, kind: Int32 = 0, payload: Int64 = 0) {
        schedule(at: now + delay, target: target, kind: kind, payload: payload)
    }

    /// Asks the run loop to return after the current event's handler finishes.
    public func stop() {
        stopRequested = true
    }

    /// Delivers events in order until a handler calls `stop()`, no events remain, or the
    /// next event would happen after `limit`. May be called again to continue.
    @discardableResult
    public func run(until limit: SimTime = .max) -> StopReason {
        stopRequested = false
        while queue._count > 0 {
            if queue.storage[0].time > limit {
                now = limit
                return .timeLimit
            }
            let event = queue.popMin()
            now = event.time
            eventsProcessed &+= 1
            handlers.deliver(event, engine: self)
            if stopRequested { return .stopped }
        }
        return .exhausted
    }
}
