// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Steady-state metrics of an M/M/c queue (Poisson arrivals at rate λ, c servers with
/// exponential service at rate μ each, one FIFO queue, infinite room), from `Queueing.mmc`.
/// Times are in the reciprocal of the rates' unit (seconds for rates per second).
public struct MMcMetrics: Sendable, Equatable {
    /// λ, arrivals per unit time.
    public let arrivalRate: Double
    /// μ, services per unit time per server.
    public let serviceRate: Double
    /// c, the number of servers.
    public let servers: Int
    /// ρ = λ/(cμ), the fraction of time a server is busy.
    public let utilization: Double
    /// C(c, λ/μ), Erlang C: the probability that an arrival waits.
    public let probabilityOfWait: Double
    /// Wq = C/(cμ − λ), mean time in queue.
    public let meanWait: Double
    /// W = Wq + 1/μ, mean time in system.
    public let meanResponse: Double
    /// Lq = λ·Wq, mean number waiting.
    public let meanQueueLength: Double
    /// L = λ·W, mean number in system.
    public let meanInSystem: Double

    /// The p-quantile of the response (sojourn) time T under FIFO: the t with P(T > t) = 1 − p,
    /// where, with δ = cμ − λ and C = `probabilityOfWait`,
    /// P(T > t) = (1−C)e^{−μt} + C·(μe^{−δt} − δe^{−μt})/(μ − δ)
    ///          = e^{−μt} + C·μ·e^{−δt}·(1 − e^{−(μ−δ)t})/(μ − δ),
    /// the second form being evaluated with `expm1` so that it stays accurate as μ → δ
    /// (where the last factor tends to t). Solved by bisection to full double precision.
    /// - Throws: `NumericError.invalidArgument` unless 0 ≤ p < 1.
    public func responseTimeQuantile(_ p: Double) throws -> Double {
        guard p >= 0, p < 1 else {
            throw NumericError.invalidArgument(parameter: "p", message: "must be in [0, 1), got \(p)")
        }
        if p == 0 { return 0 }
        let target = 1 - p
        var hi = Swift.max(meanResponse, 1 / serviceRate)
        while survival(hi) > target { hi *= 2 }
        var lo = 0.0
        for _ in 0..<200 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if survival(mid) > target { lo = mid } else { hi = mid }
        }
        return lo + (hi - lo) / 2
    }

    /// P(T > t) for the FIFO response time T.
    func survival(_ t: Double) -> Double {
        let mu = serviceRate
        let delta = Double(servers) * mu - arrivalRate
        let d = mu - delta
        let factor = d == 0 ? t : -expm1(-d * t) / d
        return exp(-mu * t) + probabilityOfWait * mu * exp(-delta * t) * factor
    }
}
