// SPDX-License-Identifier: GPL-3.0-or-later

/// The bit generator behind a `RandomStream`.
public enum RandomGenerator: Sendable, Equatable, CaseIterable {
    /// xoshiro256** (Blackman & Vigna): 256-bit state, period 2^256 − 1, 64-bit outputs.
    /// Implemented in Swift and also registered with GSL, so GSL's samplers read the same state.
    /// The default: fast and statistically strong.
    case xoshiro256StarStar
    /// GSL's own Mersenne Twister (`gsl_rng_mt19937`), 32-bit outputs. The reference option,
    /// for cross-checking results against a classic generator; slower.
    case mt19937
}
