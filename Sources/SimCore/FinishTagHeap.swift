// SPDX-License-Identifier: GPL-3.0-or-later

/// The jobs in service of a `SharedCoreClock` (a `ProcessorSharingStation`'s or a `SharedHost`'s), as a binary
/// min-heap on their finish tags (the virtual time at which each is done), ties broken by
/// admission order.
///
/// `push` and `popMin` are O(log n); n is at most the station's `maxInFlight`.
struct FinishTagHeap {
    /// One job in service: done when the station's virtual time reaches `finish`
    /// (virtual nanoseconds); `order` is its admission number (unique, increasing); admitted
    /// at `admittedAt` with `work` ns of work; `member` is the index of its station among a
    /// `SharedHost`'s members (0 at a `ProcessorSharingStation`).
    struct Entry {
        var finish: Double
        var order: UInt64
        var job: Int64
        var admittedAt: SimTime
        var work: SimTime
        var member: Int32 = 0

        /// Earlier finish first; equal finishes in admission order.
        func precedes(_ other: Entry) -> Bool {
            finish < other.finish || (finish == other.finish && order < other.order)
        }
    }

    private var entries: [Entry] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    /// The job that finishes first, if any.
    var min: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var index = entries.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard entries[index].precedes(entries[parent]) else { break }
            entries.swapAt(index, parent)
            index = parent
        }
    }

    /// Removes and returns the job that finishes first. The heap must not be empty.
    mutating func popMin() -> Entry {
        let first = entries[0]
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var index = 0
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { break }
            var best = left
            if left + 1 < entries.count, entries[left + 1].precedes(entries[left]) { best = left + 1 }
            guard entries[best].precedes(entries[index]) else { break }
            entries.swapAt(index, best)
            index = best
        }
        return first
    }
}
