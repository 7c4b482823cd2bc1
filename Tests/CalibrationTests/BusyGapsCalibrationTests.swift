// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import Foundation
import NumericCore
import Reporting
import Scenarios
import XCTest

/// `calibrate --server-work-from busy-gaps`: the server's work per call outside the handler,
/// from the gaps between handlers in the busy periods of a one-executor FIFO server.
///
/// The records come from a known process (`OneExecutorServer`): Poisson sends, a constant
/// transfer to the server, one executor that per call reads the request (r), runs the handler
/// (s) and writes the response (w), first come first served. A busy gap is then exactly
/// w(previous) + r(next), so the estimate can be checked exactly, not only statistically.
final class BusyGapsCalibrationTests: XCTestCase {
    /// SplitMix64 (fixed seed): the test's own deterministic source of uniforms in (0, 1).
    private struct SplitMix {
        var state: UInt64
        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992
        }
    }

    /// One open-loop level of a one-executor FIFO server (all times ns).
    private struct OneExecutorServer {
        var rate: Double            // offered requests per second
        var calls = 600
        var transfer: Int64 = 300_000       // send → at the server, and back
        var write: Int64 = 40_000           // w: the response's write, after the handler
        var readLow: Int64 = 60_000         // r: uniform in readLow ... readLow + readSpread
        var readSpread: Int64 = 0
        var seed: UInt64 = 7

        /// The rows (CSV, no header) and the exact gaps w + r(next) of the calls that waited.
        func rows(idPrefix: String = "") -> (text: String, gaps: [Int64]) {
            var random = SplitMix(state: seed)
            var send: Int64 = 1_000_000_000, free: Int64 = 0
            var text = "", gaps: [Int64] = []
            var previousEnd: Int64?
            for i in 0..<calls {
                send += Int64(-log(random.uniform()) / rate * 1e9)
                let service = Int64(3_000_000 + random.uniform() * 2_000_000)
                let read = readLow + Int64(random.uniform() * Double(readSpread))
                let arrival = send + transfer
                let receive = max(arrival, free)
                let start = receive + read, end = start + service
                if let previousEnd, arrival <= previousEnd { gaps.append(start - previousEnd) }
                free = end + write
                previousEnd = end
                text += "\(idPrefix)\(i),c1,grpc,\(rate),\(send),\(receive),\(start),\(end),\(free + transfer),98304,15360,ok\n"
            }
            return (text, gaps)
        }
    }

    private let header = TestbedRecords.columns.joined(separator: ",") + "\n"

    private func calibrate(_ text: String) throws -> Calibration {
        var request = Calibration.Request(file: "r.csv")
        request.serverWork = .busyGaps
        return try Calibration.make(request, text: text)
    }

    /// The mean overhead (response − send) − (handler end − start) of `rows`, seconds.
    private func meanOverhead(_ rows: String) -> Double {
        let overheads = rows.split(separator: "\n").map { row -> Double in
            let cells = row.split(separator: ",").map { Double($0) ?? 0 }
            return (cells[8] - cells[4] - (cells[7] - cells[6])) * 1e-9
        }
        return overheads.reduce(0, +) / Double(overheads.count)
    }

    /// Whether every measured gap is one of the process's true busy gaps (as a multiset) and
    /// at least 90 % of them are found: the criterion b.send + T ≤ a.handler_end is stricter
    /// than "b had arrived" (T also holds b's read), so it may miss a few, never add one.
    private func assertGaps(_ measured: [Double], areAmong truth: [Int64], file: StaticString = #filePath, line: UInt = #line) {
        var left = Dictionary(truth.map { ($0, 1) }, uniquingKeysWith: +)
        for gap in measured {
            let key = Int64((gap * 1e9).rounded())
            XCTAssertGreaterThan(left[key] ?? 0, 0, "gap \(key) ns is no waiting call's w + r", file: file, line: line)
            left[key, default: 0] -= 1
        }
        XCTAssertGreaterThanOrEqual(Double(measured.count), 0.9 * Double(truth.count), file: file, line: line)
    }

    /// Constant read 60 µs and write 40 µs: every busy gap is exactly 100 µs, the fit is
    /// deterministic at 100 µs, and callOverhead's samples are each call's overhead minus
    /// 100 µs (an unqueued call's overhead, 300 + 60 + 40 + 300 µs, holds its own read and write).
    func testConstantWorkIsRecoveredExactly() throws {
        let level = OneExecutorServer(rate: 150).rows()
        let calibration = try calibrate(header + level.text)
        let grpc = try XCTUnwrap(calibration.protocols.first)
        let gaps = try XCTUnwrap(grpc.busyGaps)
        XCTAssertGreaterThan(level.gaps.count, 100, "the process at ρ ≈ 0.6 has busy periods")
        assertGaps(gaps.fitted.gapSeconds, areAmong: level.gaps)
        XCTAssertEqual(gaps.fitted.transferBoundSeconds, 360e-6, "T: send → handler start of an idle call, 300 + 60 µs")
        XCTAssertEqual(grpc.serverWork?.chosen.family, .deterministic)
        XCTAssertEqual(try XCTUnwrap(grpc.serverWork).chosen.mean, 100e-6, accuracy: 1e-15)
        XCTAssertEqual(grpc.meanSeconds, meanOverhead(level.text) - 100e-6, accuracy: 1e-12)
        let fragment = ScenarioFragment.render(calibration)
        XCTAssertTrue(fragment.contains(", serverWork: 100.0us}"), fragment)
        XCTAssertTrue(fragment.contains("Busy gaps per level (the highest is fitted; the simulator takes one distribution): "
                                        + "offered_rps 150: \(gaps.fitted.gapSeconds.count) gaps, mean 100us, median 100us (T 360us)."), fragment)
    }

    /// Random reads (uniform 40–80 µs): the gaps are those of calls that waited, the sample mean
    /// is 100 µs ± 4 standard errors (r's sd 40/√12 µs over √n), and the fitted mean is within
    /// 1 % of the sample mean (a maximum-likelihood family's mean, not the sample mean itself).
    /// callOverhead's samples are O − x̄, so their mean plus x̄ is the measured mean overhead.
    func testRandomWorkGivesTheWaitingCallsGapsAndTheirMean() throws {
        let process = OneExecutorServer(rate: 150, calls: 2000, readLow: 40_000, readSpread: 40_000)
        let level = process.rows()
        let calibration = try calibrate(header + level.text)
        let grpc = try XCTUnwrap(calibration.protocols.first)
        let measured = try XCTUnwrap(grpc.busyGaps).fitted.gapSeconds
        assertGaps(measured, areAmong: level.gaps)
        let mean = measured.reduce(0, +) / Double(measured.count)
        XCTAssertEqual(mean, 100e-6, accuracy: 4 * (40e-6 / 12.0.squareRoot()) / Double(measured.count).squareRoot())
        let work = try XCTUnwrap(grpc.serverWork).chosen.mean
        XCTAssertEqual(work, mean, accuracy: 0.01 * mean)
        XCTAssertEqual(grpc.meanSeconds + work, meanOverhead(level.text), accuracy: 1e-12)
    }

    /// Two levels whose write differs (300 µs at the lower, 40 µs at the higher): both are
    /// reported, the highest is fitted, and the line of the means finds the dependence.
    func testLoadDependentWorkIsReportedPerLevelAndTheHighestIsFitted() throws {
        let low = OneExecutorServer(rate: 100, calls: 1500, write: 300_000, readLow: 40_000, readSpread: 40_000, seed: 3).rows(idPrefix: "a")
        let high = OneExecutorServer(rate: 180, calls: 1500, readLow: 40_000, readSpread: 40_000, seed: 4).rows(idPrefix: "b")
        let calibration = try calibrate(header + low.text + high.text)
        let gaps = try XCTUnwrap(calibration.protocols.first?.busyGaps)
        XCTAssertEqual(gaps.levels.map(\.offeredRPS), [100, 180])
        assertGaps(gaps.levels[0].gapSeconds, areAmong: low.gaps)
        assertGaps(gaps.levels[1].gapSeconds, areAmong: high.gaps)
        XCTAssertEqual(gaps.fitted.offeredRPS, 180)
        XCTAssertEqual(try XCTUnwrap(gaps.levels[0].meanSeconds), 360e-6, accuracy: 5e-6)
        XCTAssertEqual(try XCTUnwrap(gaps.levels[1].meanSeconds), 100e-6, accuracy: 5e-6)
        XCTAssertEqual(gaps.dependence?.isSignificant, true)
        let document = try CalibrationDocument.render(calibration)
        let part = try XCTUnwrap(document[path: "protocols"].flatMap { value -> JSONValue? in
            if case .array(let items) = value { return items.first?[path: "server_work"] } else { return nil }
        })
        XCTAssertEqual(part[path: "estimator"], .string("busy-gaps"))
        XCTAssertEqual(part[path: "fitted_offered_rps"]?.number, 180)
        XCTAssertEqual(part[path: "load_dependence.significant"], .bool(true))
        // Every key of `server_work` (and of its levels and load_dependence) is in docs/calibration.md's table.
        let docs = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/calibration.md"), encoding: .utf8)
        var keys: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members): for (key, inner) in members { keys.append(key); collect(inner) }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(part)
        for key in Set(keys) { XCTAssertTrue(docs.contains("`\(key)`"), "docs/calibration.md does not name `\(key)`") }
    }

    /// No usable gaps: a level so light that almost no call waits is "too few busy gaps" at the
    /// header, and so is a saturated one (no idle call, so no transfer bound); sequential
    /// records only is refused; overlapping handlers (a thread pool) are
    /// refused at the row; each error has a hint.
    func testBadInputIsALocatedError() throws {
        func failure(_ text: String) -> String {
            do { _ = try calibrate(text); return "no error" } catch { return "\(error)" }
        }
        let light = failure(header + OneExecutorServer(rate: 2, calls: 100).rows().text)
        XCTAssertTrue(light.hasPrefix("r.csv:1:1: error: ") && light.contains("too few busy gaps") && light.contains("hint: "), light)

        // 1000 calls/s at about 4 ms each: every call waits, none found the server idle.
        let saturated = failure(header + OneExecutorServer(rate: 1000, calls: 100).rows().text)
        XCTAssertTrue(saturated.contains("too few busy gaps: 0 at offered_rps 1000") && saturated.contains("transfer bound is unknown")
                      && saturated.contains("the highest level is saturated"), saturated)

        let sequential = OneExecutorServer(rate: 2, calls: 40).rows().text.replacingOccurrences(of: ",2.0,", with: ",0,")
        let onlySequential = failure(header + sequential)
        XCTAssertTrue(onlySequential.hasPrefix("r.csv:1:1: error: busy gaps need open-loop records"), onlySequential)

        // The 11th call (line 12) starts 1 ns before the 10th ends (sent early enough to keep
        // its own times consistent).
        var rows = OneExecutorServer(rate: 150, calls: 50).rows().text.split(separator: "\n").map(String.init)
        var cells = rows[10].split(separator: ",").map(String.init)
        let previousEnd = Int64(rows[9].split(separator: ",")[7])!
        cells[4] = String(min(Int64(cells[4])!, previousEnd - 1_000_000))
        cells[5] = String(previousEnd - 1)
        cells[6] = String(previousEnd - 1)
        rows[10] = cells.joined(separator: ",")
        let overlap = failure(header + rows.joined(separator: "\n") + "\n")
        XCTAssertTrue(overlap.hasPrefix("r.csv:12:") && overlap.contains("handlers overlap") && overlap.contains("--server-work-from receipt"), overlap)
    }
}
