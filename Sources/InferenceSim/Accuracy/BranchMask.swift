// SPDX-License-Identifier: GPL-3.0-or-later

/// The set of branches (0..<64) whose answers have arrived, one bit per branch index.
public struct BranchMask: Sendable, Equatable {
    /// The most branches a mask can hold.
    public static let capacity = 64

    /// Bit i is set when branch i is in the set.
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The branches listed (each in 0..<64).
    public init(_ branches: [Int]) {
        var raw: UInt64 = 0
        for b in branches {
            precondition(b >= 0 && b < Self.capacity, "branch index \(b) outside 0..<64")
            raw |= 1 << UInt64(b)
        }
        rawValue = raw
    }

    /// Branches 0..<count (count in 0...64).
    @inlinable
    public static func all(_ count: Int) -> BranchMask {
        precondition(count >= 0 && count <= capacity, "a mask holds at most 64 branches")
        return BranchMask(rawValue: count == capacity ? ~0 : (1 << UInt64(count)) - 1)
    }

    /// Whether branch `i` is in the set.
    @inlinable
    public func contains(_ i: Int) -> Bool { i >= 0 && i < Self.capacity && rawValue >> UInt64(i) & 1 == 1 }

    /// The number of branches in the set.
    @inlinable
    public var count: Int { rawValue.nonzeroBitCount }

    /// Adds branch `i` (0..<64).
    @inlinable
    public mutating func insert(_ i: Int) {
        precondition(i >= 0 && i < Self.capacity, "branch index \(i) outside 0..<64")
        rawValue |= 1 << UInt64(i)
    }

    /// The set restricted to branches 0..<count.
    @inlinable
    public func limited(to count: Int) -> BranchMask {
        BranchMask(rawValue: rawValue & Self.all(Swift.min(Swift.max(count, 0), Self.capacity)).rawValue)
    }
}
