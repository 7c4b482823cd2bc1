// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
import SimCore

/// Statistical oracles of `ProcessorSharingStation` with one core and no admission limit.
///
/// **Formula.** M/G/1-PS: mean response time E[T] = E[S] / (1 − ρ), ρ = λ E[S], whatever the
/// service distribution beyond its mean (insensitivity; Kleinrock 1976, §4.4).
/// **Method.** One long run with a fixed seed (SplitMix64 inputs, so the run is the same on
/// every machine); 20 000 warm-up jobs dropped, then 400 000 jobs cut into 20 batches of
/// consecutive completions; the batch means give a Student-t 99.9 % confidence interval
/// (t₁₉,0.9995 = 3.883). **Tolerance.** The oracle must lie inside that interval, and the
/// interval must be narrower than ±4 % of the oracle (so a wrong model cannot pass by noise).
/// The seed is fixed: the test is deterministic, never flaky.
final class ProcessorSharingOracleTests: XCTestCase {
    private static let warmup = 20_000
    private static let measured = 400_000
    private static let batches = 20

    /// Mean response time in units of E[S] (1 ms) and its 99.9 % half-width.
    private func meanResponse(load: Double, seed: UInt64, cores: Int = 1, capacity: Double? = nil,
                              work: (inout TestRandom) -> Double) -> (mean: Double, halfWidth: Double) {
        let meanService = 1_000_000.0  // ns
        var random = TestRandom(state: seed)
        func uniform(_ random: inout TestRandom) -> Double { (Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992 }
        let total = Self.warmup + Self.measured
        var arrivals: [SimTime] = []
        var works: [SimTime] = []
        var t = 0.0
        for _ in 0..<total {
            t += -log(uniform(&random)) * meanService / load
            arrivals.append(SimTime(t.rounded()))
            works.append(SimTime((work(&random) * meanService).rounded()))
        }
        let engine = Engine(initialQueueCapacity: 1 << 16)
        let delegate = SharingDelegate { works[Int($0)] }
        let station = ProcessorSharingStation(name: "ps", cores: cores, maxInFlight: Int.max, capacity: capacity,
                                              delegate: delegate, engine: engine)
        // Arrivals are fed one ahead so the event list stays small.
        final class Chain: EventHandler {
            let feeder: SharingFeeder, arrivals: [SimTime]
            var id: HandlerID = -1
            init(feeder: SharingFeeder, arrivals: [SimTime]) { self.feeder = feeder; self.arrivals = arrivals }
            func handle(_ event: Event, engine: Engine) {
                feeder.station.arrive(event.payload, engine: engine)
                let next = Int(event.payload) + 1
                if next < arrivals.count { engine.schedule(at: arrivals[next], target: id, payload: Int64(next)) }
            }
        }
        let chain = Chain(feeder: SharingFeeder(station: station), arrivals: arrivals)
        chain.id = engine.register(chain)
        engine.schedule(at: arrivals[0], target: chain.id, payload: 0)
        engine.run()
        XCTAssertEqual(delegate.completed.count, total)
        let responses = delegate.completed.dropFirst(Self.warmup).map {
            Double($0.at - arrivals[Int($0.job)]) / meanService
        }
        let size = Self.measured / Self.batches
        let means = (0..<Self.batches).map { b in responses[(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size) }
        let mean = means.reduce(0, +) / Double(Self.batches)
        let variance = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Self.batches - 1)
        return (mean, 3.883 * (variance / Double(Self.batches)).squareRoot())
    }

    private func assertOracle(_ result: (mean: Double, halfWidth: Double), expected: Double, _ what: String) {
        XCTAssertLessThan(abs(result.mean - expected), result.halfWidth,
                          "\(what): mean \(result.mean) ± \(result.halfWidth), expected \(expected)")
        XCTAssertLessThan(result.halfWidth, 0.04 * expected, "\(what): the interval is too wide to test anything")
    }

    /// M/M/1-PS at ρ = 0.3 and 0.6: E[T] = E[S] / (1 − ρ) = 1.43 and 2.5 E[S].
    func testMM1MeanResponseIsServiceOverOneMinusLoad() {
        for (load, seed) in [(0.3, UInt64(11)), (0.6, 12)] {
            let result = meanResponse(load: load, seed: seed) { random in
                -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992)
            }
            assertOracle(result, expected: 1 / (1 - load), "M/M/1-PS ρ = \(load)")
        }
    }

    /// Insensitivity at ρ = 0.6: deterministic work and a two-point work (0.4 or 4.0 with
    /// probabilities 5/6 and 1/6: mean 1, E[S²] = 2.8) give the same E[T] = 2.5 E[S]. (FIFO
    /// would give 1 + ρE[S²]/(2(1 − ρ)) = 1.75 and 3.1: the test tells the disciplines apart.)
    func testMG1MeanResponseDependsOnlyOnMeanWork() {
        let deterministic = meanResponse(load: 0.6, seed: 21) { _ in 1 }
        assertOracle(deterministic, expected: 2.5, "M/D/1-PS")
        let twoPoint = meanResponse(load: 0.6, seed: 22) { random in random.next(below: 6) == 0 ? 4.0 : 0.4 }
        assertOracle(twoPoint, expected: 2.5, "M/G/1-PS, two-point work")
    }

    /// A capacity C: the station is a birth–death process whose service rate in state n is
    /// φ(n) = min(n, C) / E[S] (exponential work), so π(n) ∝ Π_{k=1..n} a / min(k, C) with
    /// a = λE[S], and E[T] = E[N] / λ (Little). C = 1.5 on 2 cores at a = 0.9 (60 % of C):
    /// weights 1, 0.9, then 0.54 · 0.6^(n−2), total 3.25, Σ n·weight = 0.9 + 0.54 · 8.75 =
    /// 5.625, E[N] = 1.7308, E[T] = 1.9231 E[S] (the series below; exponential work). C = 0.5 on 1 core at a = 0.3 is M/M/1-PS on
    /// a core of half speed: E[T] = 2 E[S] / (1 − 0.6) = 5 E[S].
    func testFractionalCapacityMatchesTheBirthDeathChain() {
        func birthDeathMeanResponse(load a: Double, capacity: Double) -> Double {
            var weight = 1.0, total = 1.0, weightedN = 0.0
            for n in 1..<100_000 {
                weight *= a / min(Double(n), capacity)
                total += weight
                weightedN += Double(n) * weight
                if weight < 1e-16 { break }
            }
            return weightedN / total / a   // E[N] / λ in units of E[S]
        }
        let sharedPair = meanResponse(load: 0.9, seed: 31, cores: 2, capacity: 1.5) { random in
            -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992)
        }
        assertOracle(sharedPair, expected: birthDeathMeanResponse(load: 0.9, capacity: 1.5), "PS, C = 1.5, a = 0.9")
        let halfCore = meanResponse(load: 0.3, seed: 32, cores: 1, capacity: 0.5) { random in
            -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992)
        }
        assertOracle(halfCore, expected: 5, "M/M/1-PS on half a core, a = 0.3")
        XCTAssertEqual(birthDeathMeanResponse(load: 0.3, capacity: 0.5), 5, accuracy: 1e-9, "the series itself")
    }
}
