// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
import SimCore

/// A statistical oracle of `SharedHost`: two single-worker servers on a one-core host.
///
/// **Model.** Station 1 gets Poisson arrivals at λ₁ = 0.5/ms with exponential work of mean
/// 1 ms, station 2 λ₂ = 0.15/ms with mean 2 ms (ρ = 0.5 + 0.3 = 0.8). Each serves one job at a
/// time from its own FIFO queue; when both serve, each job progresses at ½. The numbers in
/// the two stations, (i, j), are a continuous-time Markov chain: i → i + 1 at λ₁, i → i − 1 at
/// μ₁ r, j likewise, with r = ½ when i, j ≥ 1 and 1 otherwise. **Formula.** Its stationary
/// distribution π, solved here by Gauss–Seidel on 0 ≤ i, j ≤ 60 (arrivals beyond blocked: the
/// mass at the edge is below 2·10⁻⁶, and doubling the bound to 90 changes E[T] by 0.01 %),
/// gives E[Tₖ] = E[Nₖ] / λₖ (Little): 6.457 ms and 7.570 ms. (Unlimited two-class PS would give
/// E[Sₖ]/(1 − ρ) = 5 and 10 ms; each server on a core of its own, 2 and 5.7 ms: the test
/// tells them apart.)
/// **Method.** One run with fixed seed 41 (SplitMix64 inputs); the first 50,000 jobs dropped,
/// then each class's responses in arrival order cut into 20 batches; the batch means give a
/// Student-t 99.9 % confidence interval (t₁₉,0.9995 = 3.883). **Tolerance.** The oracle must
/// lie inside that interval, and the interval must be narrower than ±5 % of the oracle.
/// Deterministic: never flaky.
final class SharedHostOracleTests: XCTestCase {
    private static let rates = [0.5, 0.15]      // per ms
    private static let meanWork = [1.0, 2.0]    // ms

    /// E[T₁], E[T₂] in ms from the Markov chain truncated at `bound`.
    private func markovChainMeans(bound: Int) -> [Double] {
        let (l1, l2) = (Self.rates[0], Self.rates[1])
        let (m1, m2) = (1 / Self.meanWork[0], 1 / Self.meanWork[1])
        let size = bound + 1
        func share(_ i: Int, _ j: Int) -> Double { i > 0 && j > 0 ? 0.5 : 1 }
        var p = [Double](repeating: 1 / Double(size * size), count: size * size)
        for _ in 0..<100_000 {
            var change = 0.0
            for i in 0...bound {
                for j in 0...bound {
                    let out = (i < bound ? l1 : 0) + (j < bound ? l2 : 0) + (i > 0 ? m1 * share(i, j) : 0)
                        + (j > 0 ? m2 * share(i, j) : 0)
                    var into = 0.0
                    if i > 0 { into += p[(i - 1) * size + j] * l1 }
                    if j > 0 { into += p[i * size + j - 1] * l2 }
                    if i < bound { into += p[(i + 1) * size + j] * m1 * share(i + 1, j) }
                    if j < bound { into += p[i * size + j + 1] * m2 * share(i, j + 1) }
                    let value = into / out
                    if value > 1e-30 { change = max(change, abs(value - p[i * size + j]) / value) }
                    p[i * size + j] = value
                }
            }
            let total = p.reduce(0, +)
            for index in p.indices { p[index] /= total }
            if change < 1e-10 { break }
        }
        var n1 = 0.0, n2 = 0.0
        for i in 0...bound {
            for j in 0...bound {
                n1 += Double(i) * p[i * size + j]
                n2 += Double(j) * p[i * size + j]
            }
        }
        return [n1 / l1, n2 / l2]
    }

    func testTwoSingleWorkerServersOnOneCoreMatchTheMarkovChain() {
        let oracle = markovChainMeans(bound: 60)
        XCTAssertEqual(oracle[0], 6.457, accuracy: 0.001, "the chain's solution (checked by hand with numpy)")
        XCTAssertEqual(oracle[1], 7.570, accuracy: 0.001)

        let warmup = 50_000, measured = 1_000_000, batches = 20
        let ms = 1_000_000.0
        var random = TestRandom(state: 41)
        func exponential(_ mean: Double) -> Double { -log((Double(random.next() >> 11) + 0.5) / 9_007_199_254_740_992) * mean }
        let total = warmup + measured
        var arrivals: [SimTime] = [], works: [SimTime] = [], classes: [Int] = []
        var t = 0.0
        let rate = Self.rates[0] + Self.rates[1]
        for _ in 0..<total {
            t += exponential(ms / rate)
            let kind = Double(random.next() >> 11) / 9_007_199_254_740_992 < Self.rates[0] / rate ? 0 : 1
            arrivals.append(SimTime(t.rounded()))
            classes.append(kind)
            works.append(SimTime(exponential(Self.meanWork[kind] * ms).rounded()))
        }
        let engine = Engine(initialQueueCapacity: 1 << 16)
        let delegate = HostedDelegate { works[Int($0)] }
        let host = SharedHost(name: "box", cores: 1, engine: engine)
        let stations = (0..<2).map { HostedStation(name: "s\($0)", host: host, slots: 1, workers: 1, delegate: delegate) }
        // Arrivals are fed one ahead so the event list stays small.
        final class Chain: EventHandler {
            let stations: [HostedStation], arrivals: [SimTime], classes: [Int]
            var id: HandlerID = -1
            init(stations: [HostedStation], arrivals: [SimTime], classes: [Int]) {
                self.stations = stations; self.arrivals = arrivals; self.classes = classes
            }
            func handle(_ event: Event, engine: Engine) {
                stations[classes[Int(event.payload)]].arrive(event.payload, engine: engine)
                let next = Int(event.payload) + 1
                if next < arrivals.count { engine.schedule(at: arrivals[next], target: id, payload: Int64(next)) }
            }
        }
        let chain = Chain(stations: stations, arrivals: arrivals, classes: classes)
        chain.id = engine.register(chain)
        engine.schedule(at: arrivals[0], target: chain.id, payload: 0)
        engine.run()
        XCTAssertEqual(delegate.completed.count, total)
        var responses: [[Double]] = [[], []]
        var done = [SimTime](repeating: 0, count: total)
        for completion in delegate.completed { done[Int(completion.job)] = completion.at }
        for job in warmup..<total { responses[classes[job]].append(Double(done[job] - arrivals[job]) / ms) }
        for kind in 0..<2 {
            let size = responses[kind].count / batches
            let means = (0..<batches).map { b in responses[kind][(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size) }
            let mean = means.reduce(0, +) / Double(batches)
            let variance = means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(batches - 1)
            let halfWidth = 3.883 * (variance / Double(batches)).squareRoot()
            XCTAssertLessThan(abs(mean - oracle[kind]), halfWidth,
                              "class \(kind + 1): mean \(mean) ± \(halfWidth) ms, oracle \(oracle[kind]) ms")
            XCTAssertLessThan(halfWidth, 0.05 * oracle[kind], "class \(kind + 1): the interval is too wide to test anything")
        }
    }
}
