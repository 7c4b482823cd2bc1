// SPDX-License-Identifier: GPL-3.0-or-later

/// A growable FIFO queue of plain values backed by a circular buffer.
///
/// Steady-state `append` and `removeFirst` never allocate; the buffer doubles when full and
/// never shrinks, so memory follows the longest queue seen, not the number of items passed.
public struct RingBuffer<Element: BitwiseCopyable>: ~Copyable {
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var head = 0
    @usableFromInline var _count = 0

    public init(initialCapacity: Int = 64) {
        capacity = Swift.max(4, initialCapacity)
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// Number of queued elements.
    public var count: Int { _count }
    public var isEmpty: Bool { _count == 0 }

    /// Adds `element` at the back.
    @inlinable
    public mutating func append(_ element: Element) {
        if _count == capacity { grow() }
        var tail = head &+ _count
        if tail >= capacity { tail &-= capacity }
        (storage + tail).initialize(to: element)
        _count &+= 1
    }

    /// Removes and returns the front element. The buffer must not be empty.
    @inlinable
    public mutating func removeFirst() -> Element {
        precondition(_count > 0, "removeFirst on an empty ring buffer")
        let element = storage[head]
        head &+= 1
        if head == capacity { head = 0 }
        _count &-= 1
        return element
    }

    /// The front element, if any.
    public var first: Element? { _count > 0 ? storage[head] : nil }

    @usableFromInline
    mutating func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        let firstPart = Swift.min(_count, capacity - head)
        newStorage.initialize(from: storage + head, count: firstPart)
        (newStorage + firstPart).initialize(from: storage, count: _count - firstPart)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
        head = 0
    }
}
