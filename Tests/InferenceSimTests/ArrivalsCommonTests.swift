// SPDX-License-Identifier: GPL-3.0-or-later
@testable import InferenceSim
import InferenceSimTestSupport
import NumericCore
import ScenarioModel
import SimCore
import XCTest

/// Helpers shared by the Arrivals*Tests files.
enum ArrivalsTestSupport {
    /// Φ⁻¹(0.9995) = 3.2905: two-sided 99.9 % normal bound.
    static let z999 = 3.2905

    /// Number of arrivals in [0, seconds).
    static func count<G: ArrivalGenerator>(_ gen: inout G, untilSeconds seconds: Double) -> Int {
        let end = SimTimeConversion.nanoseconds(fromSeconds: seconds)
        var t: SimTime = 0, n = 0
        while true {
            t = gen.next(after: t)
            if t >= end { return n }
            n += 1
        }
    }

    /// Arrival rates (per second) in `blocks` consecutive blocks of `blockSeconds`.
    static func blockRates<G: ArrivalGenerator>(_ gen: inout G, blockSeconds: Double, blocks: Int) -> [Double] {
        let width = SimTimeConversion.nanoseconds(fromSeconds: blockSeconds)
        var counts = [Int](repeating: 0, count: blocks)
        var t: SimTime = 0
        while true {
            t = gen.next(after: t)
            let b = Int(t / width)
            if b >= blocks { break }
            counts[b] += 1
        }
        return counts.map { Double($0) / blockSeconds }
    }

    /// Asserts that `build` throws a `SimulationBuildError` whose message contains `text`.
    static func assertBuildError<T>(_ build: @autoclosure () throws -> T, contains text: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try build()
            XCTFail("expected a build error containing “\(text)”", file: file, line: line)
        } catch let error as SimulationBuildError {
            XCTAssertTrue(error.description.contains(text), "“\(error.description)” lacks “\(text)”", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }
}

/// Properties every generator shares: order, reproducibility, Poisson's rate, wiring.
final class ArrivalsCommonTests: XCTestCase {
    /// One generator of each kind, drawing from the stream named `name` of seed 21.
    private func generators(_ name: String) throws -> [(String, () -> SimTime)] {
        let s = { RandomStream(seed: 21, replication: 0, name: name) }
        var poisson = try PoissonArrivals(rate: 50, stream: s())
        var mmpp = try MMPPArrivals(states: [MMPPState(rate: 50, meanDuration: 0.2), MMPPState(rate: 0, meanDuration: 0.1),
                                             MMPPState(rate: 5000, meanDuration: 0.01)], stream: s())
        var diurnal = try DiurnalArrivals(points: [RatePoint(time: 1, rate: 0), RatePoint(time: 2, rate: 400)],
                                          period: 3, stream: s())
        var trace = try TraceArrivals(timestamps: [0, 0.25, 0.25, 1])
        var streams = try StreamArrivals(count: 3, interval: 0.1)
        var last = [SimTime](repeating: 0, count: 5)
        return [
            ("poisson", { last[0] = poisson.next(after: last[0]); return last[0] }),
            ("mmpp", { last[1] = mmpp.next(after: last[1]); return last[1] }),
            ("diurnal", { last[2] = diurnal.next(after: last[2]); return last[2] }),
            ("trace", { last[3] = trace.next(after: last[3]); return last[3] }),
            ("streams", { last[4] = streams.next(after: last[4]); return last[4] }),
        ]
    }

    func testTimesNeverDecrease() throws {
        // 10^5 arrivals of each generator (MMPP with sojourns of 10–200 ms and a silent state,
        // diurnal with a zero stretch): every time ≥ the one before.
        for (name, next) in try generators("order") {
            var previous: SimTime = 0
            var decreases = 0
            for _ in 0..<100_000 {
                let t = next()
                if t < previous { decreases += 1 }
                previous = t
            }
            XCTAssertEqual(decreases, 0, name)
        }
    }

    func testSameStreamSameSequence() throws {
        // Two generators built on streams with the same (seed, replication, name) give the same
        // 10^4 times; another stream name gives another sequence (random kinds only).
        let a = try generators("same"), b = try generators("same"), c = try generators("other")
        for i in a.indices {
            let x = (0..<10_000).map { _ in a[i].1() }
            XCTAssertEqual(x, (0..<10_000).map { _ in b[i].1() }, a[i].0)
            let y = (0..<10_000).map { _ in c[i].1() }
            if ["poisson", "mmpp", "diurnal"].contains(a[i].0) { XCTAssertNotEqual(x, y, a[i].0) } else { XCTAssertEqual(x, y) }
        }
    }

    func testPoissonLongRunRateIsMeanRate() throws {
        // N(T) ~ Poisson(λT) exactly, λ = 50/s, T = 2000 s: 99.9 % z-bound |N − λT| ≤ 3.29·√(λT).
        var gen = try PoissonArrivals(rate: 50, stream: RandomStream(seed: 4, replication: 0, name: "poisson"))
        let n = ArrivalsTestSupport.count(&gen, untilSeconds: 2000)
        let expected = ArrivalProcess.poisson(rate: 50).meanRate * 2000
        XCTAssertEqual(Double(n), expected, accuracy: ArrivalsTestSupport.z999 * expected.squareRoot())
    }

    func testEveryProcessRunsInASimulation() throws {
        // Each process builds through ArrivalSources.start and drives a run of 200 s with a
        // fast station (1 ms, 64 workers, never saturated): requests are conserved. The video
        // workload (16 streams, 2 s segments) is deterministic: arrivals at n·125 ms, so
        // between 1600 and 1601 of them by 200 s (the one at exactly 200 s depends on the end
        // rule), whatever the seed.
        let processes: [ArrivalProcess] = [
            .mmpp(states: [MMPPState(rate: 20, meanDuration: 30), MMPPState(rate: 200, meanDuration: 5)]),
            .diurnal(points: [RatePoint(time: 0, rate: 10), RatePoint(time: 50, rate: 120)], period: 100),
            .trace(timestamps: [0.5, 0.5, 1.25, 3]),
            .streams(count: 16, interval: 2),
        ]
        for process in processes {
            var config = ScenarioBuilders.singleStation(name: "arrivals", rate: 1, service: .deterministic(value: 0.001),
                                                        workers: 64, run: RunSettings(duration: 200))
            config.workloads = [WorkloadSpec(kind: .image, arrivals: process)]
            let result = try Simulation(config: config, replication: 0).run()
            XCTAssertTrue(result.conservation.holds, "\(process)")
            XCTAssertGreaterThan(result.conservation.arrived, 0, "\(process)")
            if case .streams = process {
                XCTAssertTrue((1600...1601).contains(result.conservation.arrived), "\(result.conservation.arrived)")
            }
        }
    }

    func testSimulationRejectsAnAllZeroCurve() throws {
        var config = ScenarioBuilders.singleStation(name: "zero", rate: 1, service: .deterministic(value: 0.001),
                                                    workers: 1, run: RunSettings(duration: 10))
        config.workloads = [WorkloadSpec(kind: .image, arrivals: .diurnal(points: [RatePoint(time: 0, rate: 0)], period: 60))]
        ArrivalsTestSupport.assertBuildError(try Simulation(config: config, replication: 0), contains: "0 over the whole period")
    }
}
