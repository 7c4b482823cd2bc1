// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import InferenceSimTestSupport
import NumericCore
import Planning
import Results
import ScenarioModel

/// The engine against closed forms. Each test states its formula first. Method for all:
/// R independent replications (fixed seed, so the test is deterministic), each discarding a
/// warm-up; the Student-t 99 % confidence interval of the replication means must contain
/// the analytic value. On every replication we also check conservation
/// (arrived = completed + dropped + in flight) and Little's law at the queue,
/// Lq = λ·Wq, within 3 % (the window's edges make the two sides differ by O(1/N)).
final class QueueingValidationTests: XCTestCase {
    let run = RunSettings(requests: 40_000, warmupRequests: 4_000, replications: 12)

    /// Runs `config` and checks the per-replication invariants.
    private func simulate(_ config: ScenarioConfig) throws -> [ReplicationResult] {
        let outcome = try ReplicationRunner.run(config, jobs: 2)
        for result in outcome.results {
            XCTAssertTrue(result.conservation.holds, "conservation: \(result.conservation)")
            XCTAssertEqual(result.completed, config.run.requests)
            let throughput = Double(result.completed) / result.measuredSeconds
            let queued = result.nodes.reduce(0) { $0 + $1.meanQueueLength }
            XCTAssertEqual(queued, throughput * result.wait.mean, accuracy: 0.03 * max(queued, 0.01),
                           "Little's law at the queues, replication \(result.replication)")
            XCTAssertEqual(result.meanInSystem, throughput * result.latency.mean,
                           accuracy: 0.03 * result.meanInSystem, "Little's law for the system")
        }
        return outcome.results
    }

    private func assertContains(_ values: [Double], _ analytic: Double, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let ci = try ScenarioBuilders.ci99(values)
        XCTAssertTrue(ci.low <= analytic && analytic <= ci.high,
                      "\(what): analytic \(analytic) outside 99% CI [\(ci.low), \(ci.high)]", file: file, line: line)
        // The interval must also be informative, or the test could not fail.
        XCTAssertLessThan(ci.halfWidth, 0.1 * analytic, "\(what): CI too wide to test anything", file: file, line: line)
    }

    /// M/M/1, λ = 0.5, μ = 1 (ρ = 0.5): W = 1/(μ − λ) = 2 s, Wq = ρ/(μ − λ) = 1 s.
    func testMM1() throws {
        let config = ScenarioBuilders.singleStation(name: "mm1", rate: 0.5, service: .exponential(mean: 1),
                                                    workers: 1, run: run)
        let results = try simulate(config)
        try assertContains(results.map(\.latency.mean), 2.0, "M/M/1 W")
        try assertContains(results.map(\.wait.mean), 1.0, "M/M/1 Wq")
        try assertContains(results.map { $0.nodes[0].utilization }, 0.5, "M/M/1 utilization")
    }

    /// M/M/4, λ = 3.2, μ = 1 (a = 3.2, ρ = 0.8), Erlang C:
    /// C(c, a) = [aᶜ/c! · c/(c − a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c − a)] = 0.596432,
    /// Wq = C/(cμ − λ) = 0.745541 s.
    func testMMcErlangC() throws {
        let config = ScenarioBuilders.singleStation(name: "mm4", rate: 3.2, service: .exponential(mean: 1),
                                                    workers: 4, run: run)
        let analytic = try Queueing.mmc(arrivalRate: 3.2, serviceRate: 1, servers: 4)
        XCTAssertEqual(analytic.probabilityOfWait, 0.596432, accuracy: 1e-6)
        XCTAssertEqual(analytic.meanWait, 0.745541, accuracy: 1e-6)
        let results = try simulate(config)
        try assertContains(results.map(\.wait.mean), analytic.meanWait, "M/M/4 Wq")
        try assertContains(results.map { Double($0.waitedCount) / Double($0.completed) },
                           analytic.probabilityOfWait, "M/M/4 P(wait > 0)")
        try assertContains(results.map { $0.nodes[0].meanQueueLength }, analytic.meanQueueLength, "M/M/4 Lq")
    }

    /// M/D/1, λ = 0.8, D = 1 s (ρ = 0.8), Pollaczek–Khinchine with E[S²] = D²:
    /// Wq = λE[S²]/(2(1 − ρ)) = 0.8/(2·0.2) = 2 s.
    func testMD1() throws {
        let config = ScenarioBuilders.singleStation(name: "md1", rate: 0.8, service: .deterministic(value: 1),
                                                    workers: 1, run: run)
        let results = try simulate(config)
        try assertContains(results.map(\.wait.mean), 2.0, "M/D/1 Wq")
        try assertContains(results.map(\.latency.mean), 3.0, "M/D/1 W")
    }

    /// M/G/1 with lognormal service, mean 1 s, cv 1.5, λ = 0.6 (ρ = 0.6):
    /// E[S²] = (1 + cv²)·mean² = 3.25, Wq = λE[S²]/(2(1 − ρ)) = 0.6·3.25/0.8 = 2.4375 s.
    func testMG1Lognormal() throws {
        let service = Distribution.lognormal(mean: 1, cv: 1.5)
        let config = ScenarioBuilders.singleStation(name: "mg1", rate: 0.6, service: service, workers: 1, run: run)
        let analytic = try Queueing.mg1(arrivalRate: 0.6, service: service)
        XCTAssertEqual(analytic.meanWait, 2.4375, accuracy: 1e-9)
        let results = try simulate(config)
        try assertContains(results.map(\.wait.mean), analytic.meanWait, "M/G/1 Wq")
    }

    /// Open tandem Jackson network of 5 stations fed by Poisson λ = 1: by Jackson's theorem
    /// each station behaves as an independent M/M/cᵢ queue with arrival rate λ, so the mean
    /// end-to-end latency is Σᵢ Wᵢ, with Wᵢ = 1/μᵢ + Erlang-C wait. Stations (μ, c):
    /// (2, 1), (1.5, 1), (0.6, 2), (1.25, 1), (3, 1).
    func testTandemJacksonFiveStations() throws {
        let stations: [(serviceRate: Double, servers: Int)] = [(2, 1), (1.5, 1), (0.6, 2), (1.25, 1), (3, 1)]
        let config = ScenarioBuilders.tandem(
            name: "tandem5", rate: 1, stations: stations.map { (.exponential(mean: 1 / $0.serviceRate), $0.servers) },
            run: run)
        let analytic = try Queueing.tandem(arrivalRate: 1, stations: stations)
        let results = try simulate(config)
        try assertContains(results.map(\.latency.mean), analytic.meanResponse, "tandem W")
        for index in stations.indices {
            try assertContains(results.map { $0.nodes[index].utilization },
                               analytic.stations[index].utilization, "tandem station \(index) utilization")
        }
    }

    /// M/G/1 with a setup time D when a job finds the server idle (a node's `wakeUp` with one
    /// point, so every idle period costs D), Harchol-Balter ch. 27: the mean delay before
    /// service is Wq + (2E[D] + λE[D²]) / (2(1 + λE[D])), with Wq Pollaczek–Khinchine's.
    /// The setup of the job that pays it is booked as its service, so the checked figure is
    /// the mean latency W = E[S] + that delay.
    /// - M/M/1, λ = 0.5, E[S] = 1 s, D = 0.5 s: 1 + (1 + 0.125)/2.5 = 1.45 → W = 2.45 s.
    /// - M/D/1, λ = 0.8, S = 1 s, D = 0.5 s: 2 + (1 + 0.2)/2.8 = 2.428571 → W = 3.428571 s.
    func testMG1WithSetupTimes() throws {
        let setup = WakeUpSpec(points: [.init(idle: 0, extra: 0.5)])
        for (name, rate, service, analytic) in [("mm1-setup", 0.5, Distribution.exponential(mean: 1), 2.45),
                                                ("md1-setup", 0.8, Distribution.deterministic(value: 1), 3.0 + 3.0 / 7)] {
            let delay = try Queueing.mg1DelayWithSetup(arrivalRate: rate, service: service, setup: .deterministic(value: 0.5))
            XCTAssertEqual(1 + delay, analytic, accuracy: 1e-9, name)
            var config = ScenarioBuilders.singleStation(name: name, rate: rate, service: service, workers: 1, run: run)
            config.nodes[0].wakeUp = setup
            let results = try simulate(config)
            try assertContains(results.map(\.latency.mean), analytic, "\(name) W")
            let plain = try Queueing.mg1(arrivalRate: rate, service: service).meanResponse
            XCTAssertGreaterThan(results.map(\.latency.mean).min()!, plain + 0.2, "\(name): the setups must show")
        }
    }
}
