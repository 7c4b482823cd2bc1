// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

/// Reference values: /work/shared/bench/SCENARIOS.md (mmc, tandem10), and exact sums computed
/// with Python/mpmath at 40 digits (Erlang B/C as Σ aᵏ/k! ratios).
final class QueueingTests: XCTestCase {
    func testErlangBAndC() throws {
        // B(4, 3.2) = (3.2⁴/4!) / Σₖ₌₀⁴ 3.2ᵏ/k! = 0.2281449299579469.
        XCTAssertEqual(try Queueing.erlangB(servers: 4, offeredLoad: 3.2), 0.2281449299579469, accuracy: 1e-15)
        XCTAssertEqual(try Queueing.erlangC(servers: 4, offeredLoad: 3.2), 0.596432, accuracy: 5e-7)
        XCTAssertEqual(try Queueing.erlangC(servers: 4, offeredLoad: 3.2), 0.5964324717874046, accuracy: 1e-15)
        // Large systems, where factorials overflow: c = 200, a = 180 (mpmath, 40 digits).
        XCTAssertEqual(try Queueing.erlangB(servers: 200, offeredLoad: 180), 0.010324995204982297, accuracy: 1e-15)
        XCTAssertEqual(try Queueing.erlangC(servers: 200, offeredLoad: 180), 0.09447121817759082, accuracy: 1e-14)
        // One server: C(1, a) = a.
        XCTAssertEqual(try Queueing.erlangC(servers: 1, offeredLoad: 0.7), 0.7, accuracy: 1e-15)
    }

    func testMMcMatchesScenarioS1() throws {
        // λ = 3.2, μ = 1, c = 4: C = 0.596432, Wq = 0.745541, W = 1.745541, p50 = 1.346199,
        // p99 = 6.893204 (SCENARIOS.md, six decimals).
        let m = try Queueing.mmc(arrivalRate: 3.2, serviceRate: 1, servers: 4)
        XCTAssertEqual(m.utilization, 0.8, accuracy: 1e-15)
        XCTAssertEqual(m.probabilityOfWait, 0.596432, accuracy: 5e-7)
        XCTAssertEqual(m.meanWait, 0.745541, accuracy: 5e-7)
        XCTAssertEqual(m.meanResponse, 1.745541, accuracy: 5e-7)
        // Little: Lq = λWq, L = λW.
        XCTAssertEqual(m.meanQueueLength, 3.2 * m.meanWait, accuracy: 1e-14)
        XCTAssertEqual(m.meanInSystem, 3.2 * m.meanResponse, accuracy: 1e-14)
        XCTAssertEqual(try m.responseTimeQuantile(0.5), 1.346199, accuracy: 5e-7)
        XCTAssertEqual(try m.responseTimeQuantile(0.99), 6.893204, accuracy: 5e-7)
        XCTAssertEqual(try m.responseTimeQuantile(0), 0)
        assertInvalidArgument(try m.responseTimeQuantile(1), "p")
        assertInvalidArgument(try m.responseTimeQuantile(.nan), "p")
    }

    func testMM1ClosedForms() throws {
        // M/M/1: W = 1/(μ − λ), Wq = ρ/(μ − λ), T ~ Exp(μ − λ) so t_p = −ln(1 − p)/(μ − λ).
        let m = try Queueing.mmc(arrivalRate: 0.9, serviceRate: 1, servers: 1)
        XCTAssertEqual(m.meanResponse, 10, accuracy: 1e-12)
        XCTAssertEqual(m.meanWait, 9, accuracy: 1e-12)
        XCTAssertEqual(m.meanInSystem, 9, accuracy: 1e-12)
        for p in [0.1, 0.5, 0.9, 0.99, 0.999999] {
            XCTAssertEqual(try m.responseTimeQuantile(p), -log(1 - p) / 0.1, accuracy: 1e-9 * (-log(1 - p) / 0.1))
        }
    }

    func testResponseQuantileIsContinuousAtTheDegenerateRate() throws {
        // c = 2, μ = 1, λ = 1: δ = cμ − λ = μ, where the closed form's denominator vanishes.
        // There T = service + (with prob. C) an Exp(1) wait: P(T > t) = e^{−t}(1 + C·t).
        let exact = try Queueing.mmc(arrivalRate: 1, serviceRate: 1, servers: 2)
        let c = exact.probabilityOfWait
        XCTAssertEqual(c, 1.0 / 3, accuracy: 1e-15)
        let t99 = try exact.responseTimeQuantile(0.99)
        XCTAssertEqual(exp(-t99) * (1 + c * t99), 0.01, accuracy: 1e-14)
        // Neighbours of the degenerate rate give nearly the same quantile (no blow-up).
        for lambda in [1 - 1e-9, 1 + 1e-9, 1 - 1e-4, 1 + 1e-4] {
            let m = try Queueing.mmc(arrivalRate: lambda, serviceRate: 1, servers: 2)
            XCTAssertEqual(try m.responseTimeQuantile(0.99), t99, accuracy: 1e-3 * t99)
        }
    }

    func testMG1PollaczekKhinchine() throws {
        // M/D/1, s = 1, λ = 0.8: Wq = ρs/(2(1 − ρ)) = 0.8/0.4 = 2.
        let md1 = try Queueing.mg1(arrivalRate: 0.8, service: .deterministic(value: 1))
        XCTAssertEqual(md1.meanWait, 2, accuracy: 1e-12)
        XCTAssertEqual(md1.meanResponse, 3, accuracy: 1e-12)
        XCTAssertEqual(md1.meanQueueLength, 1.6, accuracy: 1e-12)
        XCTAssertEqual(md1.utilization, 0.8, accuracy: 1e-15)
        // Exponential service reproduces M/M/1.
        let mm1 = try Queueing.mmc(arrivalRate: 0.8, serviceRate: 1, servers: 1)
        let mg1 = try Queueing.mg1(arrivalRate: 0.8, service: .exponential(mean: 1))
        XCTAssertEqual(mg1.meanWait, mm1.meanWait, accuracy: 1e-12)
        XCTAssertEqual(mg1.meanInSystem, mm1.meanInSystem, accuracy: 1e-12)
        // Lognormal(mean 1, cv 2): E[S²] = 1 + 4 = 5, Wq = 0.5·5/(2·0.5) = 2.5.
        XCTAssertEqual(try Queueing.mg1(arrivalRate: 0.5, service: .lognormal(mean: 1, cv: 2)).meanWait, 2.5, accuracy: 1e-12)
        // Infinite second moment: stable but infinite mean wait.
        XCTAssertEqual(try Queueing.mg1(arrivalRate: 0.1, service: .pareto(shape: 1.5, scale: 1)).meanWait, .infinity)
    }

    func testTandemMatchesScenarioS3() throws {
        // 10 M/M/1 stations, λ = 0.9, μ = 1: mean 100; Erlang(10, 0.1): p50 96.687146, p99 187.831174.
        let net = try Queueing.tandem(arrivalRate: 0.9, stations: Array(repeating: (serviceRate: 1, servers: 1), count: 10))
        XCTAssertEqual(net.stations.count, 10)
        XCTAssertEqual(net.meanResponse, 100, accuracy: 1e-10)
        XCTAssertEqual(net.meanInSystem, 90, accuracy: 1e-10)
        XCTAssertEqual(try Queueing.erlangQuantile(stages: 10, rate: 0.1, p: 0.5), 96.687146, accuracy: 5e-7)
        XCTAssertEqual(try Queueing.erlangQuantile(stages: 10, rate: 0.1, p: 0.99), 187.831174, accuracy: 5e-7)
        // One stage is the exponential: t_p = −ln(1 − p)/r.
        XCTAssertEqual(try Queueing.erlangQuantile(stages: 1, rate: 2, p: 0.9), -log(0.1) / 2, accuracy: 1e-12)
        // Mixed stations: W = Σ Wᵢ.
        let mixed = try Queueing.tandem(arrivalRate: 3.2, stations: [(serviceRate: 1, servers: 4), (serviceRate: 4, servers: 1)])
        XCTAssertEqual(mixed.meanResponse, 1.7455405897342559 + 1 / 0.8, accuracy: 1e-12)
    }

    func testInvalidAndUnstableInputsThrow() {
        XCTAssertThrowsError(try Queueing.mmc(arrivalRate: 4, serviceRate: 1, servers: 4)) {
            XCTAssertEqual($0 as? NumericError, .unstable(utilization: 1))
        }
        assertUnstable(try Queueing.erlangC(servers: 2, offeredLoad: 3), utilization: 1.5)
        assertInvalidArgument(try Queueing.erlangB(servers: 0, offeredLoad: 1), "servers")
        assertInvalidArgument(try Queueing.erlangB(servers: 1, offeredLoad: -1), "offeredLoad")
        assertInvalidArgument(try Queueing.mmc(arrivalRate: 1, serviceRate: 0, servers: 1), "serviceRate")
        assertInvalidArgument(try Queueing.mmc(arrivalRate: .nan, serviceRate: 1, servers: 1), "arrivalRate")
        XCTAssertThrowsError(try Queueing.mg1(arrivalRate: 2, service: .exponential(mean: 1))) {
            XCTAssertEqual($0 as? NumericError, .unstable(utilization: 2))
        }
        XCTAssertThrowsError(try Queueing.mg1(arrivalRate: 0.5, service: .exponential(mean: -1))) {
            XCTAssertTrue($0 is DistributionProblem)
        }
        assertInvalidArgument(try Queueing.tandem(arrivalRate: 1, stations: []), "stations")
        assertUnstable(try Queueing.tandem(arrivalRate: 1, stations: [(serviceRate: 2, servers: 1), (serviceRate: 1, servers: 1)]),
                       utilization: 1)
        assertInvalidArgument(try Queueing.erlangQuantile(stages: 0, rate: 1, p: 0.5), "stages")
        assertInvalidArgument(try Queueing.erlangQuantile(stages: 2, rate: 1, p: 1), "p")
    }
}
