// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The master seed of a sweep point: `mix(mix(seed) ^ fnv1a64(text))`, where `seed` is the
/// scenario's seed after the point's settings and `text` the point's canonical settings
/// (`KEY.PATH=VALUE ...`). It depends on what the point is, never on its position, the number
/// of threads or the shard that runs it (docs/sweeps.md).
public enum SweepSeed {
    public static func derive(seed: UInt64, canonicalText: String) -> UInt64 {
        StreamSeeding.mix(StreamSeeding.mix(seed) ^ StreamSeeding.fnv1a64(canonicalText))
    }
}
