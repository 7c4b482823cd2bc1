// SPDX-License-Identifier: GPL-3.0-or-later

/// Shard `index` of `count` (`--shard I/N`): the points whose index ≡ I (mod N), so that every
/// shard gets points from all over the grid and the shards of one sweep take similar times.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// The whole sweep.
    public static let all = SweepShard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 ≤ I < N; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    /// Whether the point with this 0-based index belongs to the shard.
    public func contains(_ point: Int) -> Bool { point % count == index }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}
