// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// Closed-form results of classic queueing models, to validate the simulator and seed the
/// capacity planner. Rates are per unit time (e.g. per second); times come back in that unit.
/// Every function throws `NumericError.invalidArgument` for a bad argument and
/// `NumericError.unstable` when the utilisation ρ is at least 1.
public enum Queueing {
    /// Erlang B: the blocking probability B(c, a) of an M/M/c/c loss system with offered load
    /// a = λ/μ erlangs, by the stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
    public static func erlangB(servers: Int, offeredLoad: Double) throws -> Double {
        try checkServers(servers)
        try checkNonNegative("offeredLoad", offeredLoad)
        var b = 1.0
        for k in 1...servers { b = offeredLoad * b / (Double(k) + offeredLoad * b) }
        return b
    }

    /// Erlang C: the probability C(c, a) that an arrival to an M/M/c queue waits, with offered
    /// load a = λ/μ < c: C = c·B / (c − a(1 − B)), B = Erlang B.
    public static func erlangC(servers: Int, offeredLoad: Double) throws -> Double {
        let b = try erlangB(servers: servers, offeredLoad: offeredLoad)
        let c = Double(servers)
        guard offeredLoad < c else { throw NumericError.unstable(utilization: offeredLoad / c) }
        return c * b / (c - offeredLoad * (1 - b))
    }

    /// The M/M/c queue (M/M/1 is `servers: 1`): arrivals at rate λ ≥ 0, c servers of rate μ.
    public static func mmc(arrivalRate: Double, serviceRate: Double, servers: Int) throws -> MMcMetrics {
        try checkNonNegative("arrivalRate", arrivalRate)
        try checkPositive("serviceRate", serviceRate)
        try checkServers(servers)
        let a = arrivalRate / serviceRate
        let c = Double(servers)
        guard a < c else { throw NumericError.unstable(utilization: a / c) }
        let pWait = try erlangC(servers: servers, offeredLoad: a)
        let wq = pWait / (c * serviceRate - arrivalRate)
        let w = wq + 1 / serviceRate
        return MMcMetrics(arrivalRate: arrivalRate, serviceRate: serviceRate, servers: servers,
                          utilization: a / c, probabilityOfWait: pWait, meanWait: wq, meanResponse: w,
                          meanQueueLength: arrivalRate * wq, meanInSystem: arrivalRate * w)
    }

    /// The M/G/1 queue by Pollaczek–Khinchine: Wq = λE[S²] / (2(1 − ρ)), ρ = λE[S]. M/D/1 is
    /// `service: .deterministic(value: s)` (Wq = ρs / (2(1 − ρ))).
    /// - Throws: the service distribution's first `DistributionProblem`, or `NumericError`.
    public static func mg1(arrivalRate: Double, service: Distribution) throws -> MG1Metrics {
        if let problem = service.validationProblems().first { throw problem }
        try checkNonNegative("arrivalRate", arrivalRate)
        let es = service.mean
        let rho = arrivalRate * es
        guard rho < 1 else { throw NumericError.unstable(utilization: rho) }
        let wq = arrivalRate == 0 ? 0 : arrivalRate * service.secondMoment / (2 * (1 - rho))
        let w = wq + es
        return MG1Metrics(arrivalRate: arrivalRate, meanService: es, utilization: rho, meanWait: wq,
                          meanResponse: w, meanQueueLength: arrivalRate * wq, meanInSystem: arrivalRate * w)
    }

    /// The M/G/1 queue with setup times (Harchol-Balter, "Performance Modeling and Design of
    /// Computer Systems", ch. 27): a job that finds the server idle waits a setup time D before
    /// its service, the server busy throughout. The mean delay before service (queueing plus the
    /// setups a job waits for, its own included) is
    /// λE[S²]/(2(1 − ρ)) + (2E[D] + λE[D²]) / (2(1 + λE[D])), ρ = λE[S] (docs/cost-models.md,
    /// "Wake-up after idle").
    /// - Throws: the distributions' first `DistributionProblem`, or `NumericError`.
    public static func mg1DelayWithSetup(arrivalRate: Double, service: Distribution, setup: Distribution) throws -> Double {
        if let problem = setup.validationProblems().first { throw problem }
        let queueing = try mg1(arrivalRate: arrivalRate, service: service).meanWait
        let d = setup.mean, d2 = setup.secondMoment
        return queueing + (2 * d + arrivalRate * d2) / (2 * (1 + arrivalRate * d))
    }

    /// An open tandem Jackson network: Poisson arrivals at rate λ pass through `stations` in
    /// order, each an M/M/c FIFO queue with its own service rate and server count.
    /// - Throws: for an empty list, a bad station, or any station with ρ ≥ 1.
    public static func tandem(arrivalRate: Double,
                              stations: [(serviceRate: Double, servers: Int)]) throws -> TandemMetrics {
        guard !stations.isEmpty else {
            throw NumericError.invalidArgument(parameter: "stations", message: "must not be empty")
        }
        let metrics = try stations.map {
            try mmc(arrivalRate: arrivalRate, serviceRate: $0.serviceRate, servers: $0.servers)
        }
        let w = metrics.reduce(0) { $0 + $1.meanResponse }
        return TandemMetrics(stations: metrics, meanResponse: w, meanInSystem: metrics.reduce(0) { $0 + $1.meanInSystem })
    }

    /// The p-quantile of an Erlang(k, r) distribution (sum of k independent exponentials of
    /// rate r), via `gsl_cdf_gamma_Pinv(p, k, 1/r)`. By Reich's theorem, the sojourn through k
    /// single-server FIFO ·/M/1 stations in tandem, each with service rate μ and arrival rate
    /// λ, is Erlang(k, μ − λ): pass `rate: μ − λ`.
    /// - Throws: unless k ≥ 1, r > 0 and 0 ≤ p < 1.
    public static func erlangQuantile(stages: Int, rate: Double, p: Double) throws -> Double {
        guard stages >= 1 else {
            throw NumericError.invalidArgument(parameter: "stages", message: "must be at least 1, got \(stages)")
        }
        try checkPositive("rate", rate)
        guard p >= 0, p < 1 else {
            throw NumericError.invalidArgument(parameter: "p", message: "must be in [0, 1), got \(p)")
        }
        GSLRuntime.ensureReady()
        return gsl_cdf_gamma_Pinv(p, Double(stages), 1 / rate)
    }

    private static func checkServers(_ c: Int) throws {
        guard c >= 1 else {
            throw NumericError.invalidArgument(parameter: "servers", message: "must be at least 1, got \(c)")
        }
    }

    private static func checkPositive(_ name: String, _ x: Double) throws {
        guard x.isFinite, x > 0 else {
            throw NumericError.invalidArgument(parameter: name, message: "must be a finite number greater than 0, got \(x)")
        }
    }

    private static func checkNonNegative(_ name: String, _ x: Double) throws {
        guard x.isFinite, x >= 0 else {
            throw NumericError.invalidArgument(parameter: name, message: "must be a finite number ≥ 0, got \(x)")
        }
    }
}
