// SPDX-License-Identifier: GPL-3.0-or-later

/// Steady-state means of an M/G/1 queue (Poisson arrivals at rate λ, one server, i.i.d.
/// service times S of any distribution, FIFO or any work-conserving order that does not look at
/// service times), from `Queueing.mg1`. Times in the unit of the service distribution.
public struct MG1Metrics: Sendable, Equatable {
    /// λ, arrivals per unit time.
    public let arrivalRate: Double
    /// E[S], mean service time.
    public let meanService: Double
    /// ρ = λ·E[S]; also the probability that an arrival waits (PASTA).
    public let utilization: Double
    /// Pollaczek–Khinchine: Wq = λE[S²] / (2(1 − ρ)); `.infinity` when E[S²] is infinite.
    public let meanWait: Double
    /// W = Wq + E[S].
    public let meanResponse: Double
    /// Lq = λ·Wq.
    public let meanQueueLength: Double
    /// L = λ·W.
    public let meanInSystem: Double
}
