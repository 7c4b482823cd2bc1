// SPDX-License-Identifier: GPL-3.0-or-later

/// A simulated process: a small state machine that reacts to its events.
///
/// `handle` runs with `engine.now == event.time` already set. It may schedule further events
/// (never in the past) and may ask the engine to stop. Handlers must not block, sleep or use
/// Swift concurrency: the engine alone decides the order in which things happen.
public protocol EventHandler: AnyObject {
    func handle(_ event: Event, engine: Engine)
}
