// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import NumericCore
import ScenarioModel
import SimCore
import XCTest

/// MMPPArrivals: state occupancy, per-state rates, long-run rate, initial state, rejections.
final class ArrivalsMMPPTests: XCTestCase {
    /// z for a two-sided 99.9 % bound: Φ⁻¹(0.9995).
    let z = ArrivalsTestSupport.z999

    /// Three states, one silent: (2/s, 30 s), (20/s, 5 s), (0/s, 2 s).
    let states = [MMPPState(rate: 2, meanDuration: 30), MMPPState(rate: 20, meanDuration: 5),
                  MMPPState(rate: 0, meanDuration: 2)]

    func testStateTimesAndRatesWithinStates() throws {
        // Drive the process step by step for M = 5000 full cycles; S_i = total time in state i
        // (sum of the sojourns seen), V_i = number of sojourns, N_i = arrivals in state i.
        // (1) Sojourns are i.i.d. Exp(d_i): the mean sojourn S_i/V_i has sd d_i/√V_i; 99.9 %
        //     z-bound |S_i/V_i − d_i| ≤ 3.29·d_i/√V_i.
        // (2) Time fraction f_i = S_i/S with S = Σ S_j; over M cycles each S_j is a sum of M
        //     i.i.d. Exp(d_j), Var S_j = M·d_j². Delta method: Var f_i ≈ ((S−S_i)²·Var S_i +
        //     S_i²·Σ_{j≠i} Var S_j)/S⁴; 99.9 % z-bound |f_i − d_i/Σd| ≤ 3.29·√Var f_i.
        // (3) Given the sojourns, N_i is exactly Poisson(λ_i·S_i): 99.9 % z-bound
        //     |N_i − λ_i S_i| ≤ 3.29·√(λ_i S_i); a state of rate 0 has N_i = 0 exactly.
        // Fixed seed, so each check passes or fails deterministically.
        var gen = try MMPPArrivals(states: states, stream: RandomStream(seed: 11, replication: 0, name: "mmpp"))
        let n = states.count
        var time = [Double](repeating: 0, count: n), visits = [Int](repeating: 0, count: n)
        var arrivals = [Int](repeating: 0, count: n)
        var current = gen.state, enteredAt: SimTime = 0, last: SimTime = 0
        let cycles = 5000
        while visits.min()! < cycles {
            switch gen.step() {
            case .arrival(let t):
                XCTAssertGreaterThanOrEqual(t, last)
                XCTAssertLessThanOrEqual(t, gen.stateEnd)
                last = t
                arrivals[current] += 1
            case .switched(let at, let to):
                XCTAssertEqual(to, (current + 1) % n, "states follow cyclically")
                time[current] += SimTimeConversion.seconds(at - enteredAt)
                visits[current] += 1
                last = at
                enteredAt = at
                current = to
            }
        }
        let total = time.reduce(0, +)
        let meanSum = states.reduce(0) { $0 + $1.meanDuration }
        for i in 0..<n {
            let d = states[i].meanDuration
            XCTAssertEqual(time[i] / Double(visits[i]), d, accuracy: z * d / Double(visits[i]).squareRoot(),
                           "mean sojourn in state \(i)")
            let varS = states.map { Double(cycles) * $0.meanDuration * $0.meanDuration }
            let others = varS.indices.filter { $0 != i }.reduce(0) { $0 + varS[$1] }
            let varF = ((total - time[i]) * (total - time[i]) * varS[i] + time[i] * time[i] * others)
                / (total * total * total * total)
            XCTAssertEqual(time[i] / total, d / meanSum, accuracy: z * varF.squareRoot(), "time fraction of state \(i)")
            let expected = states[i].rate * time[i]
            if states[i].rate == 0 {
                XCTAssertEqual(arrivals[i], 0, "no arrivals in a silent state")
            } else {
                XCTAssertEqual(Double(arrivals[i]), expected, accuracy: z * expected.squareRoot(), "rate in state \(i)")
            }
        }
    }

    func testLongRunRateIsMeanRate() throws {
        // Blocks of L = 1750 s (50 mean cycles of 35 s) over B = 30 blocks; the modulating chain
        // relaxes at rate 1/30 + 1/5 per second (correlation time ≈ 4.3 s ≪ L), so block counts
        // are i.i.d. to a very good approximation and their mean has a Student-t interval.
        // Check: meanRate = (20·30 + 200·5)/35 lies in the 99.9 % t-interval of the B block rates.
        let process = ArrivalProcess.mmpp(states: [MMPPState(rate: 20, meanDuration: 30),
                                                   MMPPState(rate: 200, meanDuration: 5)])
        guard case .mmpp(let s) = process else { return XCTFail() }
        var gen = try MMPPArrivals(states: s, stream: RandomStream(seed: 3, replication: 0, name: "mmpp-rate"))
        let rates = ArrivalsTestSupport.blockRates(&gen, blockSeconds: 1750, blocks: 30)
        let ci = try ConfidenceInterval.forMean(of: rates, level: 0.999)
        XCTAssertTrue(ci.contains(process.meanRate), "\(process.meanRate) not in [\(ci.low), \(ci.high)]")
        XCTAssertEqual(process.meanRate, 1600.0 / 35, accuracy: 1e-12)
    }

    func testInitialStateIsStationary() throws {
        // The initial state is drawn from π_i = d_i/Σd. Over K = 20000 independent streams the
        // count of state i is Binomial(K, π_i): 99.9 % z-bound 3.29·√(K π_i (1 − π_i)).
        let k = 20000
        var counts = [0, 0, 0]
        for r in 0..<k {
            let gen = try MMPPArrivals(states: states, stream: RandomStream(seed: 5, replication: r, name: "mmpp-init"))
            counts[gen.state] += 1
        }
        let sum = states.reduce(0) { $0 + $1.meanDuration }
        for i in 0..<3 {
            let p = states[i].meanDuration / sum
            XCTAssertEqual(Double(counts[i]), Double(k) * p, accuracy: z * (Double(k) * p * (1 - p)).squareRoot())
        }
    }

    func testRejectsProcessesThatCannotRun() {
        let stream = RandomStream(seed: 1, replication: 0, name: "x")
        ArrivalsTestSupport.assertBuildError(try MMPPArrivals(states: [], stream: stream), contains: "at least one state")
        ArrivalsTestSupport.assertBuildError(
            try MMPPArrivals(states: [MMPPState(rate: 0, meanDuration: 1), MMPPState(rate: 0, meanDuration: 2)], stream: stream),
            contains: "positive rate")
        ArrivalsTestSupport.assertBuildError(
            try MMPPArrivals(states: [MMPPState(rate: -1, meanDuration: 1)], stream: stream), contains: "rate must be")
        ArrivalsTestSupport.assertBuildError(
            try MMPPArrivals(states: [MMPPState(rate: 1, meanDuration: 1e-9)], stream: stream), contains: "1 µs")
    }
}
