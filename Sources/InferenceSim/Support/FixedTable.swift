// SPDX-License-Identifier: GPL-3.0-or-later

/// A table of values fixed at construction, read by index on the hot path without bounds
/// checks, reference counting or copy-on-write (as `Array` would cost): the flow's stages and
/// legs, link draws, node-group selectors and members.
///
/// Invariants: `base` holds `count` initialised elements for the table's whole life, and is
/// freed with it (the table is not copyable, so nothing else frees or outlives it). Indices
/// are not checked in release builds (as with `UnsafeMutablePointer`): the caller guarantees
/// 0 ≤ index < count, which the plan's shapes do (one entry per stage, leg, link or member).
struct FixedTable<Element>: ~Copyable {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: max(1, count))
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: elements)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            assert(index >= 0 && index < count, "FixedTable index \(index) out of 0..<\(count)")
            return base[index]
        }
    }
}
