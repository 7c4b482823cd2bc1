// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// The arrival times of one workload, one after another (docs/workloads.md).
///
/// A generator owns its random stream; `next(after:)` returns the time of the arrival that
/// follows one at `previous` (the first call gets 0, the start of the run). Times never
/// decrease. Generators are value types driven by their `ArrivalSource`.
protocol ArrivalGenerator {
    mutating func next(after previous: SimTime) -> SimTime
}

/// Poisson arrivals: exponential gaps of mean 1/rate, each the mean times a standard
/// exponential variate (what `Sampler` draws for `exponential(mean:)`, without going through
/// one: the gap is the whole of this generator).
struct PoissonArrivals: ArrivalGenerator {
    /// 1/rate, seconds.
    let meanGap: Double
    let stream: RandomStream

    init(rate: Double, stream: RandomStream) throws {
        guard rate > 0, rate.isFinite else {
            throw SimulationBuildError("arrival rate must be positive and finite, got \(rate)")
        }
        meanGap = 1 / rate
        self.stream = stream
    }

    @inline(__always)
    mutating func next(after previous: SimTime) -> SimTime {
        previous &+ SimTimeConversion.nanoseconds(fromSeconds: meanGap * stream.nextExponential())
    }
}
