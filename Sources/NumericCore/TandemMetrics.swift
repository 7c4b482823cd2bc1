// SPDX-License-Identifier: GPL-3.0-or-later

/// Steady-state means of an open tandem (series) Jackson network, from `Queueing.tandem`:
/// Poisson arrivals at rate λ enter station 1 and visit every station once, in order; each
/// station is an M/M/cᵢ FIFO queue and, by Jackson's theorem, behaves as one in isolation.
public struct TandemMetrics: Sendable, Equatable {
    /// Metrics of each station, in visiting order (all with arrival rate λ).
    public let stations: [MMcMetrics]
    /// Mean end-to-end sojourn: Σ Wᵢ.
    public let meanResponse: Double
    /// Mean number of customers in the network: Σ Lᵢ = λ·meanResponse.
    public let meanInSystem: Double
}
