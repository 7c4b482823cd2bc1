// SPDX-License-Identifier: GPL-3.0-or-later

/// Identifies a registered `EventHandler` within one `Engine`.
public typealias HandlerID = Int32

/// One scheduled occurrence: at `time`, the handler `target` receives (`kind`, `payload`).
///
/// Events are plain values (32 bytes, no references), so scheduling one never allocates.
/// What `kind` and `payload` mean is up to the handler (typically `payload` is the index of
/// a request or job in the handler's own tables).
public struct Event: Sendable, Equatable {
    /// When the event happens.
    public var time: SimTime
    /// Scheduling order: unique within an engine and increasing, so it breaks ties between
    /// events at the same `time` in the order they were scheduled.
    public var sequence: UInt64
    /// The handler that receives the event.
    public var target: HandlerID
    /// Handler-defined discriminator.
    public var kind: Int32
    /// Handler-defined argument.
    public var payload: Int64

    @inlinable
    public init(time: SimTime, sequence: UInt64, target: HandlerID, kind: Int32, payload: Int64) {
        self.time = time
        self.sequence = sequence
        self.target = target
        self.kind = kind
        self.payload = payload
    }

    /// The engine's total order: earlier time first; at equal times, earlier scheduling first.
    @inlinable
    public func precedes(_ other: Event) -> Bool {
        time < other.time || (time == other.time && sequence < other.sequence)
    }
}
