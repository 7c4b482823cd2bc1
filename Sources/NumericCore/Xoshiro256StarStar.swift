// SPDX-License-Identifier: GPL-3.0-or-later

/// The xoshiro256** step on a state of four `UInt64` words held in memory that GSL owns
/// (the state block of a `gsl_rng`). Both the Swift fast path and the GSL callbacks use this one
/// function, so the two views of a stream can never drift apart.
@usableFromInline
enum Xoshiro256StarStar {
    /// Advances the state at `s` (4 words) and returns the next 64-bit output.
    @inlinable @inline(__always)
    static func next(_ s: UnsafeMutablePointer<UInt64>) -> UInt64 {
        let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3]
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        let n2 = s2 ^ s0
        let n3 = s3 ^ s1
        s[1] = s1 ^ n2
        s[0] = s0 ^ n3
        s[2] = n2 ^ t
        s[3] = rotl(n3, 45)
        return result
    }

    /// A uniform double in the open interval (0, 1) with 53 random bits: `k · 2⁻⁵³` for the top
    /// 53 bits `k` of an output, drawing again in the (2⁻⁵³-probable) case k = 0.
    @inlinable @inline(__always)
    static func nextOpenUnit(_ s: UnsafeMutablePointer<UInt64>) -> Double {
        while true {
            let k = next(s) >> 11
            if k != 0 { return Double(k) * 0x1p-53 }
        }
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }
}
