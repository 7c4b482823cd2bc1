// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import NumericCore
import Scenarios
import XCTest

/// Reading measurements: units, located errors, testbed records, perf_analyzer exports.
final class CalibrationInputTests: XCTestCase {
    private func column(_ text: String, _ name: String = "t", unit: String? = nil) throws -> SampleColumn {
        try SampleColumn.read(try CSVTable.parse(text, file: "m.csv"), column: name, unit: unit)
    }

    /// The first rendered problem of reading `text`, or nil when it reads.
    private func problem(_ text: String, _ name: String = "t", unit: String? = nil) -> String? {
        do {
            _ = try column(text, name, unit: unit)
            return nil
        } catch {
            return (error as? CalibrationFailure)?.diagnostics.first?.rendered ?? "\(error)"
        }
    }

    func testUnitsComeFromTheOptionTheHeaderOrTheCells() throws {
        XCTAssertEqual(try column("t_ms\n1.5\n2\n", "t_ms").seconds, [0.0015, 0.002])
        XCTAssertEqual(try column("t (us)\n250\n", "t (us)").seconds, [0.00025])
        XCTAssertEqual(try column("t\n250\n", unit: "us").seconds, [0.00025])
        XCTAssertEqual(try column("id,t\n1, 3ms\n2,\"4ms\"\n").seconds, [0.003, 0.004])
        XCTAssertEqual(try column("t_ms\n1ms\n", "t_ms").unit, "ms")
    }

    func testBadCellsAreLocatedWithAHint() {
        XCTAssertEqual(problem("id,t_ms\n1,2\n2,-3\n", "t_ms"),
                       "m.csv:3:3: error: t_ms: negative time `-3`: a measured duration cannot be below 0; hint: check the clock used (monotonic?) and the subtraction that made it")
        XCTAssertEqual(problem("t_ms\nNaN\n", "t_ms")?.hasPrefix("m.csv:2:1: error: t_ms: `NaN` is not a number"), true)
        XCTAssertEqual(problem("t\n2ms\n3us\n")?.hasPrefix("m.csv:3:1: error: t: mixed units: `3us` is in `us` but the column is in `ms`"), true)
        XCTAssertEqual(problem("t\n2\n")?.hasPrefix("m.csv:2:1: error: t: `2` has no unit, and neither has the header `t`; hint: pass --unit ms"), true)
        XCTAssertEqual(problem("t_ms\n1\n\n", "t_ms"), nil, "a blank line is skipped")
        XCTAssertEqual(problem("a,t_ms\n1,\n", "t_ms")?.hasPrefix("m.csv:2:3: error: t_ms: empty cell"), true)
        XCTAssertEqual(problem("t_ms\n", "t_ms"),
                       "m.csv:1:1: error: column `t_ms` has no samples; hint: the file needs one row per request below the header")
        XCTAssertEqual(problem("handler_ms,x\n1,2\n", "handler_mss"),
                       "m.csv:1:1: error: no column `handler_mss` (named by --column); did you mean `handler_ms`?; hint: the columns are `handler_ms`, `x`")
        XCTAssertEqual(problem("t\n1\n", unit: "kg")?.hasPrefix("m.csv:1:1: error: --unit `kg` is not a unit of time"), true)
    }

    func testTooFewSamplesForTheFamilyAskedIsAnErrorAtTheColumn() {
        let text = "x,t_ms\n" + (1...12).map { "\($0),\(Double($0) * 0.5)" }.joined(separator: "\n") + "\n"
        let request = Calibration.Request(file: "m.csv", column: "t_ms", family: .gamma)
        XCTAssertThrowsError(try Calibration.make(request, text: text)) { error in
            let rendered = (error as? CalibrationFailure)?.diagnostics.first?.rendered ?? "\(error)"
            XCTAssertTrue(rendered.hasPrefix("m.csv:1:3: error: too few samples: `gamma` needs at least 20, column `t_ms` has 12; hint: collect more requests; minimums: exponential 10, gamma 20"), rendered)
        }
        // Exponential needs 10: the same data fits.
        XCTAssertNoThrow(try Calibration.make(Calibration.Request(file: "m.csv", column: "t_ms", family: .exponential), text: text))
    }

    /// Testbed records: service = handler_end − handler_start, overhead = (response − send) −
    /// service; a non-`ok` row is left out; overhead exactly 1 ms + 2 ns/byte is recovered by
    /// the least-squares line (exact data: residuals 0, so to rounding).
    func testTestbedRecordsGiveServiceTimesAndAnExactOverheadLine() throws {
        var text = TestbedRecords.columns.joined(separator: ",") + ",extra\n"
        for i in 0..<40 {
            let send: Int64 = 1_000_000_000 + Int64(i) * 50_000_000
            let service: Int64 = 4_000_000 + Int64(i % 7) * 100_000
            let bytes: Int64 = 1_000 + Int64(i) * 997
            let overhead: Int64 = 1_000_000 + 2 * bytes
            let start = send + overhead / 2
            text += "\(i),c1,rest,10,\(send),\(start - 1000),\(start),\(start + service),\(send + overhead + service),\(bytes - 200),200,\(i == 39 ? "timeout" : "ok"),x\n"
        }
        let calibration = try Calibration.make(Calibration.Request(file: "r.csv"), text: text)
        XCTAssertEqual(calibration.format, .testbed)
        XCTAssertEqual(calibration.failedRequests, 1)
        XCTAssertEqual(calibration.samples.count, 39)
        XCTAssertEqual(calibration.samples.first!, 0.004, accuracy: 1e-15)
        let rest = try XCTUnwrap(calibration.protocols.first)
        XCTAssertEqual(rest.callProtocol, "rest")
        XCTAssertEqual(rest.line!.intercept, 1e-3, accuracy: 1e-12)
        XCTAssertEqual(rest.line!.slope, 2e-9, accuracy: 1e-16)
        XCTAssertTrue(rest.usesLine)
        XCTAssertEqual(try XCTUnwrap(rest.codecBitsPerSecond), 4e9, accuracy: 1)  // 8 bits / 2 ns
        XCTAssertEqual(rest.callOverhead.chosen.mean, 1e-3, accuracy: 1e-12)  // the fixed part of every call
        XCTAssertNil(calibration.loadDependence, "one load level")
    }

    func testTestbedRecordsRefuseTimesThatRunBackwards() {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        text += "1,c,grpc,5,100,110,120,110,300,10,10,ok\n"
        XCTAssertThrowsError(try Calibration.make(Calibration.Request(file: "r.csv"), text: text)) { error in
            XCTAssertEqual((error as? CalibrationFailure)?.diagnostics.first?.rendered,
                           "r.csv:2:24: error: handler_end_ns: the handler ends (110) before it starts (120): negative service time; hint: both must come from one monotonic clock")
        }
        let none = TestbedRecords.columns.joined(separator: ",") + "\n1,c,grpc,5,100,110,120,130,300,10,10,refused\n"
        XCTAssertThrowsError(try Calibration.make(Calibration.Request(file: "r.csv"), text: none)) { error in
            XCTAssertEqual((error as? CalibrationFailure)?.diagnostics.first?.message, "no usable samples: 1 rows, none with status `ok`")
        }
    }

    /// Records at 10/s (service 4.0 or 4.4 ms) and 100/s (3.4 or 3.8 ms), 30 each, one config
    /// `a` and one row of config `b`: without --config an error names both; with it the
    /// dependence is significant (z ≈ 0.6 ms / (0.2 ms·√(2/30)) = 11), so only the lowest level
    /// is fitted, and the fragment carries it as `serviceTimeScaling: {by: utilization}`: x =
    /// rate · fitted mean, factor = level mean / lowest level's mean (3.6 / 4.2, exactly).
    func testSignificantLoadDependenceFitsTheLowestLevelAndBecomesUtilizationScaling() throws {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for i in 0..<60 {
            let rate = i < 30 ? 10 : 100
            let service: Int64 = (i < 30 ? 4_000_000 : 3_400_000) + Int64(i % 2) * 400_000
            let send = Int64(i) * 100_000_000
            text += "\(i),a,grpc,\(rate),\(send),\(send + 10),\(send + 20),\(send + 20 + service),\(send + 1_000_000 + service),100,100,ok\n"
        }
        text += "60,b,grpc,10,0,10,20,30,40,100,100,ok\n"
        XCTAssertThrowsError(try Calibration.make(Calibration.Request(file: "r.csv"), text: text)) { error in
            XCTAssertEqual((error as? CalibrationFailure)?.diagnostics.first?.rendered,
                           "r.csv:1:1: error: the records hold 2 configs: say which one to calibrate; hint: pass --config with one of `a`, `b`")
        }
        let calibration = try Calibration.make(Calibration.Request(file: "r.csv", config: "a"), text: text)
        let load = try XCTUnwrap(calibration.loadDependence)
        XCTAssertTrue(load.isSignificant)
        XCTAssertEqual(load.levels[0].meanSeconds, 0.0042, accuracy: 1e-12)
        XCTAssertEqual(load.levels[1].meanSeconds, 0.0036, accuracy: 1e-12)
        XCTAssertEqual(calibration.samples.count, 30)
        XCTAssertTrue(calibration.samplesUsed.contains("(the lowest load: service time depends on load, so levels are not pooled)"))
        let fragment = ScenarioFragment.render(calibration)
        XCTAssertTrue(fragment.contains("# Load dependence, written as serviceTimeScaling"), fragment)
        let scaling = try XCTUnwrap(calibration.serviceTimeScaling)
        let mean = try XCTUnwrap(calibration.selection?.chosen.mean)
        XCTAssertEqual(scaling.variable, .utilization)
        XCTAssertEqual(scaling.points.map(\.x), [10 * mean, 100 * mean])
        XCTAssertEqual(scaling.points[0].factor, 1)
        XCTAssertEqual(scaling.points[1].factor, 0.0036 / 0.0042, accuracy: 1e-12)
        XCTAssertTrue(fragment.contains("    serviceTimeScaling: \(UtilizationScaling.text(scaling))\n"), fragment)
        XCTAssertTrue(UtilizationScaling.text(scaling).hasPrefix("{by: utilization, points: [[\(10 * mean), 1.0], ["), fragment)
        // Every call moved 200 bytes: no per-byte part, so callOverhead is the whole overhead
        // (exactly 1 ms for every call: deterministic) and the codec takes no time of its own.
        XCTAssertNil(calibration.protocols.first?.line)
        XCTAssertEqual(calibration.protocols.first?.usesLine, false)
        XCTAssertTrue(fragment.contains("""
            protocols:
              grpc: {callOverhead: 1.0ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}
            """), fragment)
    }

    /// Sequential records (offered_rps 0: the campaign's low-load phase) with an overhead of
    /// exactly 0.5 ms and a service time of 9 ms, then 30 records at each of 10/s and 100/s with
    /// an overhead of exactly 1 ms (it holds the wait for the worker) and 4.0/4.4 and 3.4/3.8 ms
    /// of service: the overhead is fitted on the sequential rows alone (0.5 ms, deterministic),
    /// the service time and its load dependence on the open-loop levels only (the 9 ms rows
    /// would otherwise be the lowest level).
    func testSequentialRecordsAreTheLowestLoadForTheOverheadOnly() throws {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for i in 0..<90 {
            let rate = i < 30 ? 0 : i < 60 ? 10 : 100
            let service: Int64 = rate == 0 ? 9_000_000 : (rate == 10 ? 4_000_000 : 3_400_000) + Int64(i % 2) * 400_000
            let overhead: Int64 = rate == 0 ? 500_000 : 1_000_000
            let send = Int64(i) * 100_000_000
            text += "\(i),a,grpc,\(rate),\(send),\(send + 10),\(send + 20),\(send + 20 + service),\(send + overhead + service),100,100,ok\n"
        }
        let calibration = try Calibration.make(Calibration.Request(file: "r.csv"), text: text)
        let rest = try XCTUnwrap(calibration.protocols.first)
        XCTAssertEqual(rest.offeredRPS, 0)
        XCTAssertEqual(rest.count, 30)
        XCTAssertEqual(rest.meanSeconds, 0.0005, accuracy: 1e-12)
        XCTAssertEqual(calibration.loadDependence?.levels.map(\.load), [10, 100])
        XCTAssertEqual(calibration.samples.count, 30)
        XCTAssertEqual(calibration.samples.reduce(0, +) / 30, 0.0042, accuracy: 1e-12)
        XCTAssertEqual(calibration.serviceTimeScaling?.points.count, 2)
    }

    /// Service time 4 ms at 10/s and 3.6 ms at 100/s with sd 0.2 ms and 400 samples each:
    /// the slope's z is about 0.4 ms / (0.2 ms·√(2/400)) = 28, far past significance.
    func testLoadDependenceIsFoundWhenTheMeansDiffer() {
        func level(_ mean: Double) -> [Double] { (0..<400).map { mean + (Double($0 % 2) * 2 - 1) * 0.0002 } }
        let load = LoadDependence.fromSamples(variable: "offered_rps", groups: [(10, level(0.004)), (100, level(0.0036))])!
        XCTAssertTrue(load.isSignificant)
        XCTAssertEqual(load.line!.slope, -0.0004 / 90, accuracy: 1e-12)
        XCTAssertTrue(load.summary.contains("significant at the 5 % level"), load.summary)
        let flat = LoadDependence.fromSamples(variable: "offered_rps", groups: [(10, level(0.004)), (100, level(0.004))])!
        XCTAssertFalse(flat.isSignificant)
    }

    /// perf_analyzer: compute = input + infer + output, overhead = client send + network/server
    /// send-receive + client receive, in microseconds; levels sorted by concurrency.
    func testPerfAnalyzerExportGivesMeansPerLevel() throws {
        let calibration = try Calibration.make(Calibration.Request(file: "p.csv"), text: PerfAnalyzerSample.text)
        XCTAssertEqual(calibration.format, .perfAnalyzer)
        XCTAssertEqual(calibration.meanOnlySeconds!, 3840e-6, accuracy: 1e-12)
        XCTAssertEqual(calibration.fixedOverheadSeconds!, 335e-6, accuracy: 1e-12)
        let load = try XCTUnwrap(calibration.loadDependence)
        XCTAssertEqual(load.levels.map(\.load), [1, 2, 4])
        XCTAssertNotNil(load.line)
        XCTAssertTrue(ScenarioFragment.render(calibration).contains("    serviceTime: 3.84ms\n"))
    }
}
