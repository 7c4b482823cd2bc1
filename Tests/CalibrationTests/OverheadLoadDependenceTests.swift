// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import Foundation
import InferenceSim
import NumericCore
import Reporting
import ScenarioModel
import Scenarios
import XCTest

/// `calibrate --overhead-load-dependence` (`OverheadLoadDependence`): the overhead's mean per
/// level, the chi-square test of their homogeneity, the `callOverheadScaling` written, and the
/// fragment included in a scenario giving the simulator the factor calibrate meant.
final class OverheadLoadDependenceTests: XCTestCase {
    private static let header = TestbedRecords.columns.joined(separator: ",") + "\n"

    /// n calls per level at each offered_rps; call i's overhead is mean ± d (alternating, d =
    /// 0.1 ms), its handler time 4 ms + (i mod 5) · 0.1 ms (the same at every level: no service
    /// load dependence, so the levels are pooled and E[S] is the fit's mean). 1000 + 200 bytes
    /// per call (no per-byte line: every call the same). Calls 50 ms apart: none overlaps.
    /// With `receipts`, the server receives each call 30, 50 or 70 µs before its handler
    /// starts (`--server-work` receipt: serverWork of mean 50 µs, taken out of each overhead).
    /// `slower`: offered_rps levels whose handler times are 1 ms longer.
    private static func records(_ levels: [(rps: Double, meanMs: Double)], n: Int = 40, receipts: Bool = false,
                                slower: Set<Double> = []) -> String {
        var text = header
        var id = 0, send: Int64 = 1_000_000_000
        for level in levels {
            for i in 0..<n {
                let overhead = Int64((level.meanMs + (i % 2 == 0 ? 0.1 : -0.1)) * 1e6)
                let service = Int64(4_000_000 + (i % 5) * 100_000 + (slower.contains(level.rps) ? 1_000_000 : 0))
                let start = send + 100_000, end = start + service, response = end + overhead - 100_000
                let receive = receipts ? start - Int64(30_000 + (i % 3) * 20_000) : start
                text += "\(id),c1,grpc,\(level.rps),\(send),\(receive),\(start),\(end),\(response),1000,200,ok\n"
                id += 1
                send += 50_000_000
            }
        }
        return text
    }

    private func calibrate(_ text: String, model: String = "model", serverWork: Calibration.ServerWorkEstimator? = nil) throws -> Calibration {
        var request = Calibration.Request(file: "levels.csv", model: model)
        request.overheadLoadDependence = true
        request.serverWork = serverWork
        return try Calibration.make(request, text: text)
    }

    /// Means 1.0, 0.8 and 0.9 ms at 10, 20 and 40 requests/s, 40 calls each, ± 0.1 ms: every
    /// level's sample variance is 40 d² / 39, so se² = d² / 39 = 1e-8 / 39 s²; the weighted mean
    /// is the plain mean 0.9 ms, χ² = (0.1² + 0.1² + 0) ms² / se² = 2e-8 · 39 / 1e-8 = 78 on 2
    /// degrees of freedom, p = e^(−39). Significant: points x = rps · E[S] (no serverWork), f =
    /// 1, 0.8, 0.9 (the lowest level is the overhead's).
    func testLevelMeansChiSquareAndPointsByHand() throws {
        let calibration = try calibrate(Self.records([(10, 1.0), (20, 0.8), (40, 0.9)]))
        let load = try XCTUnwrap(calibration.overheadLoadDependence.first)
        XCTAssertEqual(load.levels.map(\.offeredRPS), [10, 20, 40])
        XCTAssertEqual(load.levels.map(\.count), [40, 40, 40])
        for (level, mean) in zip(load.levels, [1.0e-3, 0.8e-3, 0.9e-3]) {
            XCTAssertEqual(level.meanSeconds, mean, accuracy: 1e-12)
            XCTAssertEqual(level.standardErrorSeconds, (1e-8 / 39).squareRoot(), accuracy: 1e-12)
        }
        XCTAssertEqual(load.chiSquare, 78, accuracy: 1e-6)
        XCTAssertEqual(load.degreesOfFreedom, 2)
        XCTAssertEqual(load.pValue, exp(-39), accuracy: 1e-20)
        let serviceMean = try XCTUnwrap(calibration.selection).chosen.mean
        XCTAssertEqual(load.workPerCallSeconds, serviceMean)
        let scaling = try XCTUnwrap(load.scaling)
        XCTAssertEqual(scaling.points.map(\.x), [10 * serviceMean, 20 * serviceMean, 40 * serviceMean])
        for (point, factor) in zip(scaling.points, [1, 0.8, 0.9]) { XCTAssertEqual(point.factor, factor, accuracy: 1e-9) }
        let fragment = ScenarioFragment.render(calibration)
        XCTAssertTrue(fragment.contains("callOverheadScaling: " + OverheadLoadDependence.text(scaling) + "}"), fragment)
        let json = try CalibrationDocument.render(calibration).rendered()
        XCTAssertTrue(json.contains("\"overhead_load_dependence\""), json)
        XCTAssertTrue(json.contains("\"call_overhead_scaling\""), json)
    }

    /// The same means at every level (1.0 ms): χ² = 0, p = 1, nothing written — the fragment
    /// says so in a comment and keeps the constant overhead; calibration.json's scaling is null.
    /// Without the option nothing of it is measured.
    func testEqualLevelsWriteNoScaling() throws {
        let text = Self.records([(10, 1.0), (20, 1.0), (40, 1.0)])
        let calibration = try calibrate(text)
        let load = try XCTUnwrap(calibration.overheadLoadDependence.first)
        XCTAssertEqual(load.chiSquare, 0, accuracy: 1e-9)
        XCTAssertEqual(load.pValue, 1, accuracy: 1e-9)
        XCTAssertNil(load.scaling)
        let fragment = ScenarioFragment.render(calibration)
        XCTAssertFalse(fragment.contains("callOverheadScaling:"), fragment)
        XCTAssertTrue(fragment.contains("Not written: the overhead is kept constant."), fragment)
        XCTAssertTrue(try CalibrationDocument.render(calibration).rendered().contains("\"call_overhead_scaling\" : null")
                      || CalibrationDocument.render(calibration).rendered().contains("\"call_overhead_scaling\": null"))
        let without = try Calibration.make(Calibration.Request(file: "levels.csv"), text: text)
        XCTAssertTrue(without.overheadLoadDependence.isEmpty)
        XCTAssertFalse(ScenarioFragment.render(without).contains("Load dependence of the overhead"))
    }

    /// One level only, a level with fewer than 30 calls, and the option on a column of samples:
    /// located errors, never a silent fit.
    func testTooFewLevelsOrCallsAreLocatedErrors() {
        XCTAssertThrowsError(try calibrate(Self.records([(10, 1.0)]))) { error in
            let rendered = (error as? CalibrationFailure)?.description ?? "\(error)"
            XCTAssertTrue(rendered.contains("levels.csv:1:") && rendered.contains("at least 2 load levels"), rendered)
        }
        let short = Self.records([(10, 1.0), (20, 0.8)]) + Self.records([(40, 0.9)], n: 20).dropFirst(Self.header.count)
        XCTAssertThrowsError(try calibrate(String(short))) { error in
            let rendered = (error as? CalibrationFailure)?.description ?? "\(error)"
            XCTAssertTrue(rendered.contains("levels.csv:1:") && rendered.contains("only 20 of the 20 `grpc` calls at offered_rps 40")
                          && rendered.contains("at least 30"), rendered)
        }
        var column = Calibration.Request(file: "h.csv", column: "handler_ms")
        column.overheadLoadDependence = true
        XCTAssertThrowsError(try Calibration.make(column, text: "handler_ms\n4.1\n4.2\n")) { error in
            XCTAssertTrue("\(error)".contains("--overhead-load-dependence"), "\(error)")
        }
    }

    /// End to end: the fragment of the first test, included in a scenario whose one-worker node
    /// is called over grpc at 20 requests/s. The node's offered load as the simulator computes it
    /// is calibrate's x at that level (to the rounding of the written durations), and a run's
    /// protocol time is f = 0.8 times that of the same run without the key (same draws: the
    /// ratio of the sums of the scaled and unscaled draws, each rounded to the nanosecond).
    func testTheIncludedFragmentGivesTheSimulatorCalibratesFactor() throws {
        let calibration = try calibrate(Self.records([(10, 1.0), (20, 0.8), (40, 0.9)]), model: "m")
        try checkEndToEnd(calibration)
    }

    /// The same with `--server-work` receipt: the node's load holds the serverWork's mean (the
    /// simulator's ρ = λ · (E[S] + E[serverWork])), and so does calibrate's x; the factors are
    /// those of the overheads less each call's receipt: of 40 calls, 14 receipts of 30 µs, 13 of
    /// 50 and 13 of 70, mean 1980/40 = 49.5 µs, so the level means are 0.9505, 0.7505 and 0.8505
    /// ms, and f = 0.7505 / 0.9505 at 20 requests/s.
    func testWithServerWorkTheLoadHoldsIt() throws {
        let calibration = try calibrate(Self.records([(10, 1.0), (20, 0.8), (40, 0.9)], receipts: true), model: "m", serverWork: .receipt)
        let load = try XCTUnwrap(calibration.overheadLoadDependence.first)
        let serverWork = try XCTUnwrap(calibration.protocols.first?.serverWork).chosen.mean
        XCTAssertEqual(load.workPerCallSeconds, try XCTUnwrap(calibration.selection).chosen.mean + serverWork)
        XCTAssertEqual(load.levels.map(\.meanSeconds)[1], 0.7505e-3, accuracy: 1e-12)
        try checkEndToEnd(calibration, factor: 0.7505 / 0.9505)
    }

    /// serviceTimeScaling's x is the same node load: with handlers 1 ms longer at 40 requests/s
    /// the service time's dependence is significant, and its points' x are offered_rps · (E[S] +
    /// E[serverWork]), those of the overhead's scaling (the simulator's ρ, serverWork included).
    func testServiceTimeScalingTakesTheSameLoad() throws {
        let calibration = try calibrate(Self.records([(10, 1.0), (20, 0.8), (40, 0.9)], receipts: true, slower: [40]),
                                        serverWork: .receipt)
        let service = try XCTUnwrap(calibration.serviceTimeScaling)
        let overhead = try XCTUnwrap(calibration.overheadLoadDependence.first?.scaling)
        let work = try XCTUnwrap(calibration.selection).chosen.mean + (try XCTUnwrap(calibration.protocols.first?.serverWork)).chosen.mean
        XCTAssertEqual(service.points.map(\.x), [10 * work, 20 * work, 40 * work])
        XCTAssertEqual(service.points.map(\.x), overhead.points.map(\.x))
    }

    /// `calibration` (model `m`, its overhead's scaling significant) as a fragment included in a
    /// scenario at 20 requests/s: ρ = x of that level, and protocol time `factor` times the
    /// unscaled run's.
    private func checkEndToEnd(_ calibration: Calibration, factor: Double = 0.8) throws {
        let points = try XCTUnwrap(calibration.overheadLoadDependence.first?.scaling).points
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("overhead-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try ScenarioFragment.render(calibration).write(to: folder.appendingPathComponent("fragment.yaml"), atomically: true, encoding: .utf8)
        let scenario = """
            include: [fragment.yaml]
            name: e2e
            run: {requests: 2000}
            nodes:
              client: {kind: client}
              s: {kind: server, workers: 1}
            deployment: {kind: single, model: m, on: s, via: grpc}
            workload:
              - {kind: image, from: client, arrivals: {process: poisson, rate: 20/s}, payload: 1000B}

            """
        let path = folder.appendingPathComponent("scenario.yaml").path
        try scenario.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ScenarioLoader.load(path: path)
        let rho = try XCTUnwrap(OfferedLoad.perNode(config).first { $0.node == "s" }).load
        XCTAssertEqual(rho, points[1].x, accuracy: 1e-9 * points[1].x)
        let scaling = try XCTUnwrap(config.protocols.first { $0.call == .grpc }?.callOverheadScaling)
        XCTAssertEqual(scaling.factor(at: rho), factor, accuracy: 1e-6)
        var plain = config
        plain.protocols = plain.protocols.map { var p = $0; p.callOverheadScaling = nil; return p }
        let scaled = try Simulation(config: config, replication: 0).run()
        let unscaled = try Simulation(config: plain, replication: 0).run()
        let ratio = Double(scaled.breakdown.totals.serialization) / Double(unscaled.breakdown.totals.serialization)
        XCTAssertEqual(ratio, factor, accuracy: 1e-6)
    }
}
