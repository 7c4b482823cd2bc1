// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import NumericCore
import Scenarios
import XCTest

/// `calibrate --server-work`: the server's pre-handler time (handler_start − server_receive)
/// is fitted as the protocol's `serverWork` and taken out of the caller's overhead.
final class ServerWorkCalibrationTests: XCTestCase {
    /// 40 calls with one payload size: overhead O = 2 ms (client time − handler time), of which
    /// the server spent S = 0.5 ms ± 0.1 ms (alternating) between receipt and handler start.
    private func records(receiveAfterStart: Bool = false) -> String {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for i in 0..<40 {
            let send: Int64 = 1_000_000_000 + Int64(i) * 50_000_000
            let service: Int64 = 4_000_000
            let server: Int64 = i % 2 == 0 ? 400_000 : 600_000
            let start = send + 1_000_000
            let receive = receiveAfterStart && i == 3 ? start + 1 : start - server
            text += "\(i),c1,rest,10,\(send),\(receive),\(start),\(start + service),\(send + 2_000_000 + service),1000,200,ok\n"
        }
        return text
    }

    func testServerWorkIsFittedAndLeavesTheCallersPart() throws {
        var request = Calibration.Request(file: "r.csv")
        request.serverWork = .receipt
        let calibration = try Calibration.make(request, text: records())
        let rest = try XCTUnwrap(calibration.protocols.first)
        let serverWork = try XCTUnwrap(rest.serverWork)
        // The sample means are exact; the chosen families' maximum-likelihood means (lognormal,
        // gamma … fitted to two-point data) are within 1 % of them.
        XCTAssertEqual(serverWork.chosen.mean, 0.5e-3, accuracy: 0.5e-5)
        XCTAssertEqual(rest.meanSeconds, 1.5e-3, accuracy: 1e-12, "the caller's part: 2 ms − 0.5 ms")
        XCTAssertEqual(rest.callOverhead.chosen.mean, 1.5e-3, accuracy: 1.5e-5)
        XCTAssertTrue(rest.scenarioSettings.contains(", serverWork: "), rest.scenarioSettings)
        let fragment = ScenarioFragment.render(calibration)
        XCTAssertTrue(fragment.contains("serverWork:"), fragment)
        let document = try CalibrationDocument.render(calibration).rendered()
        XCTAssertTrue(document.contains("\"server_work\""), document)

        let plain = try Calibration.make(Calibration.Request(file: "r.csv"), text: records())
        XCTAssertNil(plain.protocols.first?.serverWork)
        XCTAssertEqual(plain.protocols.first!.meanSeconds, 2e-3, accuracy: 1e-12, "without the flag: the whole overhead")
        XCTAssertFalse(ScenarioFragment.render(plain).contains("serverWork"))
    }

    /// A receipt after the handler started is a located error (only with --server-work, which
    /// reads the column); --server-work on a plain column of samples is refused.
    func testBadReceiptsAndOtherFormatsAreRefused() {
        var request = Calibration.Request(file: "r.csv")
        request.serverWork = .receipt
        XCTAssertThrowsError(try Calibration.make(request, text: records(receiveAfterStart: true))) { error in
            let rendered = (error as? CalibrationFailure)?.diagnostics.first?.rendered ?? "\(error)"
            XCTAssertTrue(rendered.hasPrefix("r.csv:5:") && rendered.contains("server_receive_ns"), rendered)
        }
        XCTAssertNoThrow(try Calibration.make(Calibration.Request(file: "r.csv"), text: records(receiveAfterStart: true)))
        var column = Calibration.Request(file: "t.csv", column: "t_ms")
        column.serverWork = .receipt
        XCTAssertThrowsError(try Calibration.make(column, text: "t_ms\n1\n2\n3\n")) { error in
            XCTAssertTrue("\(error)".contains("--server-work"), "\(error)")
        }
    }
}
