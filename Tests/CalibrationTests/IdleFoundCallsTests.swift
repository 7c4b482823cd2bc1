// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import NumericCore
import Scenarios
import XCTest

/// `calibrate --overhead-calls idle-found` (`IdleFoundCalls`, `OverheadCalls`): the calls that
/// found a one-executor server idle, and the overhead fitted on them.
final class IdleFoundCallsTests: XCTestCase {
    private static let header = TestbedRecords.columns.joined(separator: ",") + "\n"

    /// One `ok` row; times in microseconds for readability (written as nanoseconds).
    private static func row(_ id: Int, rate: Double = 10, send: Int64, start: Int64, end: Int64, response: Int64) -> String {
        "\(id),c1,grpc,\(rate),\(send * 1000),\(start * 1000),\(start * 1000),\(end * 1000),\(response * 1000),1000,200,ok\n"
    }

    /// Seven calls written out of order (the selection sorts by handler start), µs:
    /// - 0 first of the level: never selected (what ran before it is unknown);
    /// - 1 sent after 0's response: idle-found;
    /// - 2 sent after 1's handler ended but before 1's response (the margin): not;
    /// - 3 sent while 2's handler ran: not;
    /// - 4 sent after 3's response, but 5 was sent before 4 and handled after it (4 overtook 5): not;
    /// - 5 sent before 4's response: not;
    /// - 6 sent exactly at 5's response: idle-found.
    func testSelectionOnHandBuiltRecords() throws {
        let rows = [
            Self.row(3, send: 10_700, start: 11_000, end: 15_000, response: 15_400),
            Self.row(0, send: 0, start: 200, end: 4_200, response: 4_600),
            Self.row(6, send: 30_400, start: 30_600, end: 34_600, response: 35_000),
            Self.row(1, send: 5_000, start: 5_200, end: 9_200, response: 9_600),
            Self.row(5, send: 19_900, start: 24_000, end: 28_000, response: 30_400),
            Self.row(2, send: 9_300, start: 9_700, end: 10_900, response: 11_100),
            Self.row(4, send: 20_000, start: 20_100, end: 23_900, response: 24_300),
        ]
        let table = try CSVTable.parse(Self.header + rows.joined(), file: "r.csv")
        let records = try TestbedRecords.read(table).records
        let selected = IdleFoundCalls.select(records).map { $0.sendNs / 1000 }
        XCTAssertEqual(selected, [5_000, 30_400], "calls 1 and 6, in handler-start order")
    }

    /// A one-executor FIFO server, generated (seed 7): Poisson arrivals at 100/s; each call
    /// travels to the server in d₁ = 0.3 ms + Exp(mean 0.2 ms), waits for the executor, runs
    /// its handler S = 4 ms + Exp(mean 1 ms), then the executor writes the answer for
    /// w = 0.15 ms, and the answer travels back in d₂ = 0.2 ms + Exp(mean 0.1 ms). A call that
    /// waits for nothing has overhead O = d₁ + w + d₂: mean 0.95 ms, standard deviation
    /// √(0.2² + 0.1²) = 0.2236 ms. The executor is busy ρ = 100 · 5.15 ms ≈ 0.52 of the time,
    /// so the overhead of all calls also holds the wait (M/G/1 with X = S + w: λE[X²] / (2(1 − ρ)) ≈ 2.8 ms
    /// on average; the all-calls mean comes out 4.0 ms).
    ///
    /// Claims: (1) every idle-found call waited exactly 0; (2) the mean overhead fitted on the
    /// idle-found calls (n ≈ 1,700 of 4,000) is 0.95 ms within 25 µs (about 4 standard errors,
    /// 0.2236 / √1700 = 5.4 µs); (3) the all-calls mean is biased by the wait: above 2 ms, so this
    /// test fails without the selection.
    func testOneExecutorFIFOProcessRecoversItsOverhead() throws {
        let stream = RandomStream(seed: 7, replication: 0, name: "idle-found-test")
        var text = Self.header
        var waitedBySend: [Int64: Int64] = [:]
        var send: Int64 = 1_000_000_000, executorFree: Int64 = 0
        for i in 0..<4_000 {
            send += Int64(stream.nextExponential() * 10_000_000)
            let arrival = send + 300_000 + Int64(stream.nextExponential() * 200_000)
            let start = max(arrival, executorFree)
            let end = start + 4_000_000 + Int64(stream.nextExponential() * 1_000_000)
            executorFree = end + 150_000
            let response = executorFree + 200_000 + Int64(stream.nextExponential() * 100_000)
            waitedBySend[send] = start - arrival
            text += "\(i),c1,grpc,100,\(send),\(start),\(start),\(end),\(response),98304,15360,ok\n"
        }
        var request = Calibration.Request(file: "fifo.csv")
        request.overheadCalls = .idleFound
        let idle = try Calibration.make(request, text: text)
        let calls = try XCTUnwrap(idle.overheadCalls.first)
        XCTAssertEqual(calls.levelCount, 4_000)
        XCTAssertGreaterThan(calls.used.count, 1_000)
        XCTAssertEqual(calls.used.filter { waitedBySend[$0.sendNs] != 0 }.count, 0, "an idle-found call that waited")
        XCTAssertEqual(idle.protocols[0].count, calls.used.count)
        XCTAssertEqual(idle.protocols[0].meanSeconds, 0.95e-3, accuracy: 25e-6)

        let all = try Calibration.make(Calibration.Request(file: "fifo.csv"), text: text)
        XCTAssertEqual(all.overheadCalls.first?.used.count, 4_000)
        XCTAssertGreaterThan(all.protocols[0].meanSeconds, 2e-3, "the all-calls overhead holds the wait for the executor")

        let document = try CalibrationDocument.render(idle).rendered()
        XCTAssertTrue(document.contains("\"selection\": \"idle-found\""), document)
        XCTAssertTrue(document.contains("\"used_count\": \(calls.used.count)"), document)
        XCTAssertTrue(ScenarioFragment.render(idle).contains("#   Calls: grpc: overhead fitted on the \(calls.used.count) of 4000 calls"))
    }

    /// `--overhead-level` picks a level by its offered_rps; the default is the lowest.
    func testTheOverheadLevelIsTheOneAsked() throws {
        let text = Self.header
            + (0..<20).map { Self.row($0, rate: 10, send: Int64($0) * 10_000, start: Int64($0) * 10_000 + 200,
                                      end: Int64($0) * 10_000 + 4_200, response: Int64($0) * 10_000 + 4_600) }.joined()
            + (0..<20).map { Self.row(100 + $0, rate: 20, send: Int64($0) * 10_000, start: Int64($0) * 10_000 + 300,
                                      end: Int64($0) * 10_000 + 4_300, response: Int64($0) * 10_000 + 5_000) }.joined()
        let lowest = try Calibration.make(Calibration.Request(file: "r.csv"), text: text)
        XCTAssertEqual(lowest.protocols[0].offeredRPS, 10)
        XCTAssertEqual(lowest.protocols[0].meanSeconds, 0.6e-3, accuracy: 1e-12)
        var request = Calibration.Request(file: "r.csv")
        request.overheadLevel = 20
        let asked = try Calibration.make(request, text: text)
        XCTAssertEqual(asked.protocols[0].offeredRPS, 20)
        XCTAssertEqual(asked.protocols[0].meanSeconds, 1.0e-3, accuracy: 1e-12)
        XCTAssertEqual(asked.overheadCalls[0].levelCount, 20)
    }

    /// A level no record has, and too few idle-found calls, are errors at the `offered_rps`
    /// header cell (line 1, column 28) with a hint; the options on a column of samples too.
    func testBadLevelsAndTooFewIdleCallsAreLocatedErrors() throws {
        // 50 calls, each sent after the previous response: 49 idle-found, fewer than 100.
        let text = Self.header + (0..<50).map {
            Self.row($0, send: Int64($0) * 10_000, start: Int64($0) * 10_000 + 200,
                     end: Int64($0) * 10_000 + 4_200, response: Int64($0) * 10_000 + 4_600)
        }.joined()
        func failure(_ request: Calibration.Request, _ text: String) -> String {
            do {
                _ = try Calibration.make(request, text: text)
                return "no error"
            } catch {
                return error.description
            }
        }
        var idle = Calibration.Request(file: "r.csv")
        idle.overheadCalls = .idleFound
        let few = failure(idle, text)
        XCTAssertTrue(few.hasPrefix("r.csv:1:28: error: offered_rps: only 49 of the 50 `grpc` calls at offered_rps 10 found the server idle"), few)
        XCTAssertTrue(few.contains("at least 100") && few.contains("hint: fit on a lower load level"), few)

        var missing = Calibration.Request(file: "r.csv")
        missing.overheadLevel = 12.5
        let level = failure(missing, text)
        XCTAssertTrue(level.hasPrefix("r.csv:1:28: error: offered_rps: no `grpc` records at offered_rps 12.5"), level)
        XCTAssertTrue(level.contains("hint: --overhead-level takes one of the records' offered_rps values: 10"), level)

        var column = Calibration.Request(file: "t.csv", column: "t_ms")
        column.overheadCalls = .idleFound
        XCTAssertTrue(failure(column, "t_ms\n1\n2\n3\n").contains("--overhead-calls"))
    }
}
