// SPDX-License-Identifier: GPL-3.0-or-later

/// How a `RandomStream` turns (master seed, replication index, stream name) into generator
/// state. docs/numerics.md states the same derivation; keep the two in step, and never change
/// it without changing the golden test in `RandomStreamTests` (it would change every result).
public enum StreamSeeding {
    /// FNV-1a, 64-bit, over the UTF-8 bytes of `name`: a hash that is the same in every process
    /// and on every platform (unlike `hashValue`).
    public static func fnv1a64(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The SplitMix64 output function applied to `x + γ` (γ = 0x9E3779B97F4A7C15): a bijection
    /// of the 64-bit words that scrambles every input bit into every output bit.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The 64-bit key of a stream: `mix(mix(mix(seed) ^ replication) ^ fnv1a64(name))`, where
    /// the replication index is taken as the two's-complement bit pattern of an `Int64`.
    /// Changing only one of the three inputs always changes the key (`mix` is a bijection);
    /// the seed is mixed on its own first so that (seed, replication) pairs such as (1, 2) and
    /// (2, 1) do not coincide.
    static func key(seed: UInt64, replication: Int, name: String) -> UInt64 {
        let r = UInt64(bitPattern: Int64(replication))
        return mix(mix(mix(seed) ^ r) ^ fnv1a64(name))
    }

    /// The four xoshiro256** state words: the first four outputs of SplitMix64 started at `key`
    /// (state_i = mix(key + i·γ), i = 0...3). They are never all zero.
    static func xoshiroState(key: UInt64) -> (UInt64, UInt64, UInt64, UInt64) {
        let g: UInt64 = 0x9e37_79b9_7f4a_7c15
        return (mix(key), mix(key &+ g), mix(key &+ 2 &* g), mix(key &+ 3 &* g))
    }

    /// The seed passed to `gsl_rng_set` for mt19937: the key folded to 32 bits (GSL's mt19937
    /// uses only the low 32 bits of its seed, and replaces 0 by 4357).
    static func mt19937Seed(key: UInt64) -> UInt {
        UInt((key ^ (key >> 32)) & 0xffff_ffff)
    }
}
