// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

// xoshiro256** registered with GSL as a custom `gsl_rng_type`, so that `gsl_ran_gamma(rng, …)`
// and the other GSL samplers draw from the same state as `RandomStream.nextUInt64()`.
//
// The callbacks are free functions in a file without top-level code, hence nonisolated: a
// MainActor-isolated callback would pay a dynamic executor check on every draw.

/// `set`: seeds the four words from `seed` with SplitMix64 (used only by `gsl_rng_alloc`'s
/// default seeding; `RandomStream` overwrites the state with its own derivation).
private func xoshiroSet(_ state: UnsafeMutableRawPointer?, _ seed: UInt) {
    guard let s = state?.assumingMemoryBound(to: UInt64.self) else { return }
    let w = StreamSeeding.xoshiroState(key: UInt64(seed))
    s[0] = w.0; s[1] = w.1; s[2] = w.2; s[3] = w.3
}

/// `get`: the full 64-bit output (`unsigned long` is 64 bits on the supported platforms).
private func xoshiroGet(_ state: UnsafeMutableRawPointer?) -> UInt {
    UInt(truncatingIfNeeded: Xoshiro256StarStar.next(state.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)))
}

/// `get_double`: the same open-interval 53-bit uniform as `RandomStream.nextUniform()`.
private func xoshiroGetDouble(_ state: UnsafeMutableRawPointer?) -> Double {
    Xoshiro256StarStar.nextOpenUnit(state.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self))
}

/// The process-wide `gsl_rng_type` describing xoshiro256** (allocated once, never freed).
enum XoshiroGSLType {
    nonisolated(unsafe) static let pointer: UnsafePointer<gsl_rng_type> = {
        precondition(MemoryLayout<UInt>.size == 8, "NumericCore needs a 64-bit unsigned long")
        let p = UnsafeMutablePointer<gsl_rng_type>.allocate(capacity: 1)
        p.initialize(to: gsl_rng_type(
            name: cgsl_xoshiro256starstar_name(),
            max: UInt.max,
            min: 0,
            size: 4 * MemoryLayout<UInt64>.size,
            set: xoshiroSet,
            get: xoshiroGet,
            get_double: xoshiroGetDouble))
        return UnsafePointer(p)
    }()
}
