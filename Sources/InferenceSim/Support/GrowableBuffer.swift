// SPDX-License-Identifier: GPL-3.0-or-later

/// Per-slot (or per-job) storage of the request flow's hot path: elements read and written in
/// place, without bounds checks, reference counting or copy-on-write, in a buffer that doubles
/// when an index beyond it is reserved and never shrinks.
///
/// The one place the flow's growable raw storage lives. Invariants: `base` holds `capacity`
/// initialised elements (new ones set to `filler`); an index is valid once `reserve(upTo:)`
/// has covered it, and the caller guarantees it (no bounds check in release builds, as with
/// `UnsafeMutablePointer`). Elements are plain values (`BitwiseCopyable`), so growth moves
/// bytes and the buffer frees its memory without deinitialising them.
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    /// Elements allocated and initialised.
    private(set) var capacity = 0
    private let filler: Element
    private let minimumGrowth: Int

    /// An empty buffer whose new elements start as `filler`; it grows by at least
    /// `minimumGrowth` elements at a time.
    init(filler: Element, minimumGrowth: Int = 256) {
        base = .allocate(capacity: 0)
        self.filler = filler
        self.minimumGrowth = minimumGrowth
    }

    deinit { base.deallocate() }

    /// Makes `index` and every index below it valid.
    @inline(__always)
    mutating func reserve(upTo index: Int) {
        if index >= capacity { grow(toHold: index) }
    }

    subscript(index: Int) -> Element {
        @inline(__always) get { base[index] }
        @inline(__always) nonmutating _modify { yield &base[index] }
    }

    /// `count` elements from `start` as a buffer (valid until the next `reserve`).
    @inline(__always)
    func slice(from start: Int, count: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base + start, count: count)
    }

    private mutating func grow(toHold index: Int) {
        let larger = max(minimumGrowth, capacity * 2, index + 1)
        let storage = UnsafeMutablePointer<Element>.allocate(capacity: larger)
        storage.moveInitialize(from: base, count: capacity)
        (storage + capacity).initialize(repeating: filler, count: larger - capacity)
        base.deallocate()
        base = storage
        capacity = larger
    }
}
