// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// A named, independent stream of random numbers.
///
/// A stream is identified by (master seed, replication index, name), for example
/// `(7, 0, "arrivals/workload-0")`. Its state is derived from those three alone (see
/// docs/numerics.md, "Streams and seeding"): the same triple always gives the same sequence, on
/// every run and platform, and creating or using another stream never shifts this one.
///
/// The state lives in a GSL `gsl_rng`, so GSL's samplers (`gsl_ran_gamma`, ...) and the Swift
/// fast path (`nextUInt64()`, `nextUniform()`) consume one and the same sequence.
///
/// Not thread-safe: a stream belongs to one simulation on one thread at a time (it is
/// deliberately not `Sendable`).
public final class RandomStream {
    /// The master seed of the run.
    public let seed: UInt64
    /// The replication index (0, 1, ...): replications of a run use disjoint streams.
    public let replication: Int
    /// The stream's stable name (a component's role, e.g. `service/edge-e`).
    public let name: String
    /// The bit generator.
    public let generator: RandomGenerator

    /// The GSL generator holding the state; pass it to `gsl_ran_*` samplers.
    let gslRNG: UnsafeMutablePointer<gsl_rng>
    /// For xoshiro256**: the four state words inside `gslRNG`'s state block; nil for mt19937.
    @usableFromInline let xoshiroState: UnsafeMutablePointer<UInt64>?
    /// `ExponentialZiggurat.table`, kept here so that a draw does not check the global's
    /// one-time initialization.
    @usableFromInline let exponentialTable = ExponentialZiggurat.table

    /// Creates the stream named `name` of replication `replication` of a run seeded with `seed`.
    public init(seed: UInt64, replication: Int, name: String,
                generator: RandomGenerator = .xoshiro256StarStar) {
        GSLRuntime.ensureReady()
        self.seed = seed
        self.replication = replication
        self.name = name
        self.generator = generator
        let key = StreamSeeding.key(seed: seed, replication: replication, name: name)
        switch generator {
        case .xoshiro256StarStar:
            // gsl_rng_alloc returns nil only when malloc fails; no sensible recovery exists.
            let rng = gsl_rng_alloc(XoshiroGSLType.pointer)!
            let s = rng.pointee.state.assumingMemoryBound(to: UInt64.self)
            let w = StreamSeeding.xoshiroState(key: key)
            s[0] = w.0; s[1] = w.1; s[2] = w.2; s[3] = w.3
            gslRNG = rng
            xoshiroState = s
        case .mt19937:
            let rng = gsl_rng_alloc(cgsl_rng_type_mt19937())!
            gsl_rng_set(rng, StreamSeeding.mt19937Seed(key: key))
            gslRNG = rng
            xoshiroState = nil
        }
    }

    /// A raw GSL mt19937 seeded exactly as `gsl_rng_set(r, gslSeed)` would (for tests against
    /// GSL's documented outputs). Its `seed`/`replication`/`name` are placeholders.
    init(mt19937GSLSeed gslSeed: UInt) {
        GSLRuntime.ensureReady()
        seed = 0
        replication = 0
        name = "gsl-mt19937-\(gslSeed)"
        generator = .mt19937
        gslRNG = gsl_rng_alloc(cgsl_rng_type_mt19937())!
        gsl_rng_set(gslRNG, gslSeed)
        xoshiroState = nil
    }

    deinit {
        gsl_rng_free(gslRNG)
    }

    /// The next 64 uniformly distributed bits. For mt19937, two 32-bit outputs (first one high).
    @inlinable @inline(__always)
    public func nextUInt64() -> UInt64 {
        if let s = xoshiroState { return Xoshiro256StarStar.next(s) }
        return mt19937NextUInt64()
    }

    /// A uniform double in the open interval (0, 1), with 53 random bits: never 0, never 1,
    /// so `log(u)` and `1/u` are always finite. GSL's `gsl_rng_uniform` on an xoshiro stream
    /// returns exactly the same value.
    @inlinable @inline(__always)
    public func nextUniform() -> Double {
        if let s = xoshiroState { return Xoshiro256StarStar.nextOpenUnit(s) }
        return mt19937NextUniform()
    }

    /// A standard exponential variate (mean 1), by the ziggurat method (`ExponentialZiggurat`):
    /// usually one 64-bit word and no logarithm.
    @inlinable @inline(__always)
    public func nextExponential() -> Double {
        ExponentialZiggurat.draw(self, table: exponentialTable)
    }

    @usableFromInline
    func mt19937NextUInt64() -> UInt64 {
        let hi = UInt64(gsl_rng_get(gslRNG)) & 0xffff_ffff
        let lo = UInt64(gsl_rng_get(gslRNG)) & 0xffff_ffff
        return hi << 32 | lo
    }

    @usableFromInline
    func mt19937NextUniform() -> Double {
        while true {
            let k = mt19937NextUInt64() >> 11
            if k != 0 { return Double(k) * 0x1p-53 }
        }
    }
}
