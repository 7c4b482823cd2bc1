// SPDX-License-Identifier: GPL-3.0-or-later

/// The future event list: a 4-ary min-heap of `Event`s ordered by `Event.precedes`
/// (time, then sequence).
///
/// A 4-ary heap halves the depth of a binary heap and keeps the four children of a node in
/// one or two cache lines, which makes `popMin` cheaper for the event sizes we use. Storage
/// is a manually managed buffer that only grows (doubling), so steady-state push and pop
/// never allocate. `docs/performance.md` records the comparison with alternatives.
///
/// Invariant (checked by `isValidHeap` in tests): every element precedes-or-equals none of
/// its ancestors, i.e. for every index i > 0, `!storage[i].precedes(storage[(i - 1) / 4])`.
public struct EventQueue: ~Copyable {
    @usableFromInline var storage: UnsafeMutablePointer<Event>
    @usableFromInline var capacity: Int
    @usableFromInline var _count: Int

    /// Number of pending events.
    public var count: Int { _count }

    public init(initialCapacity: Int = 1024) {
        capacity = max(4, initialCapacity)
        storage = .allocate(capacity: capacity)
        _count = 0
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    public var isEmpty: Bool { count == 0 }

    /// The next event to run, if any.
    public var min: Event? { count > 0 ? storage[0] : nil }

    /// Adds an event. O(log₄ n).
    @inlinable
    public mutating func push(_ event: Event) {
        if _count == capacity { grow() }
        var index = _count
        _count &+= 1
        // Sift up: move parents down until the event's place is found.
        while index > 0 {
            let parent = (index &- 1) >> 2
            if !event.precedes(storage[parent]) { break }
            (storage + index).initialize(to: storage[parent])
            index = parent
        }
        (storage + index).initialize(to: event)
    }

    /// Removes and returns the earliest event. O(log₄ n). The queue must not be empty.
    @inlinable
    public mutating func popMin() -> Event {
        precondition(_count > 0, "popMin on an empty event queue")
        let result = storage[0]
        _count &-= 1
        if _count > 0 {
            siftDownFromRoot(storage[_count])
        }
        return result
    }

    /// Places `event` starting from the root hole, moving the smallest child up while it
    /// runs before `event`. Children are compared in place (by index), not copied.
    @inlinable
    mutating func siftDownFromRoot(_ event: Event) {
        var index = 0
        let n = _count
        while true {
            let first = 4 &* index &+ 1
            if first >= n { break }
            var best = first
            let end = Swift.min(first &+ 4, n)
            var child = first &+ 1
            while child < end {
                if storage[child].precedes(storage[best]) { best = child }
                child &+= 1
            }
            if !storage[best].precedes(event) { break }
            storage[index] = storage[best]
            index = best
        }
        storage[index] = event
    }

    @usableFromInline
    mutating func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Event>.allocate(capacity: newCapacity)
        newStorage.moveInitialize(from: storage, count: _count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Whether the heap invariant holds (for tests; O(n)).
    public func isValidHeap() -> Bool {
        var index = 1
        while index < count {
            if storage[index].precedes(storage[(index - 1) / 4]) { return false }
            index += 1
        }
        return true
    }

    /// Removes every pending event.
    public mutating func removeAll() {
        storage.deinitialize(count: _count)
        _count = 0
    }
}
