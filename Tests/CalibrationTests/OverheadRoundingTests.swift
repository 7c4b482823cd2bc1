// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import XCTest

/// A call whose whole overhead is its receipt (sent and received at once, answered as the
/// handler ended) has O − S = 0 exactly: the overhead is computed in integer nanoseconds before
/// it becomes seconds. In seconds first, (595,185 + 6,465,958) ns · 1e-9 − 6,465,958 ns · 1e-9
/// rounds below 595,185 ns · 1e-9 (by 2.2e-19 s), and calibrate refused that call's
/// "negative" overhead.
final class OverheadRoundingTests: XCTestCase {
    private func records() -> String {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for i in 0..<40 {
            let send: Int64 = 1_000_000_000 + Int64(i) * 50_000_000
            let receipt: Int64 = 595_185, service: Int64 = 6_465_958
            let start = send + receipt
            // Call 0: received at its send, answered at its handler's end; the others spend
            // 0.2 ms more on the way back.
            let receive = i == 0 ? send : send + 100_000
            let back: Int64 = i == 0 ? 0 : 200_000
            text += "\(i),c1,rest,10,\(send),\(receive),\(start),\(start + service),\(start + service + back),1000,200,ok\n"
        }
        return text
    }

    func testAnOverheadThatIsAllReceiptIsZeroNotNegative() throws {
        var request = Calibration.Request(file: "r.csv")
        request.serverWork = .receipt
        let calibration = try Calibration.make(request, text: records())
        let rest = try XCTUnwrap(calibration.protocols.first)
        // Call 0 leaves O − S = 0; the 39 others 0.1 ms receipt-free arrival + 0.2 ms back = 0.3 ms.
        XCTAssertEqual(rest.meanSeconds, 39 * 0.3e-3 / 40, accuracy: 1e-15)
    }
}
