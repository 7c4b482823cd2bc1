// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import NumericCore
import XCTest

/// What the reason advises when KS rejects the chosen family: `--family empirical` for service
/// times (the fragment can carry their samples), and for protocol overheads, which have no
/// empirical form and which `--family` does not touch, the fit's mean against the samples'.
final class KSRejectionAdviceTests: XCTestCase {
    /// 400 calls, one payload size. Handler times and overheads are both two-point mixtures no
    /// family fits (3 ms / 9 ms and 1 ms / 6 ms, one call in ten slow, with a tiny spread so
    /// every family can be fitted): KS rejects each chosen family far below p = 0.05.
    private func records() -> String {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for i in 0..<400 {
            let send: Int64 = 1_000_000_000 + Int64(i) * 50_000_000
            let jitter = Int64(i % 7) * 10_000
            let service: Int64 = (i % 10 == 0 ? 9_000_000 : 3_000_000) + jitter
            let overhead: Int64 = (i % 10 == 3 ? 6_000_000 : 1_000_000) + jitter
            let start = send + overhead / 2
            text += "\(i),c1,rest,10,\(send),\(start),\(start),\(start + service),\(send + overhead + service),1000,200,ok\n"
        }
        return text
    }

    func testServiceTimesAreAdvisedEmpiricalAndOverheadsGetTheirMeans() throws {
        var request = Calibration.Request(file: "r.csv")
        request.optionNames = .init(family: "--family", overheadFamily: "--overhead-family")  // as the command names them
        let calibration = try Calibration.make(request, text: records())
        let service = try XCTUnwrap(calibration.selection)
        XCTAssertLessThan(service.chosen.ks.bestPValue, 0.05)
        XCTAssertTrue(service.reason.hasSuffix("KS rejects it at the 5 % level: consider --family empirical"), service.reason)
        let unnamed = try XCTUnwrap(try Calibration.make(Calibration.Request(file: "r.csv"), text: records()).selection)
        XCTAssertTrue(unnamed.reason.hasSuffix("consider `family` empirical"), "the library spells no option: \(unnamed.reason)")

        let overhead = try XCTUnwrap(calibration.protocols.first).callOverhead
        XCTAssertLessThan(overhead.chosen.ks.bestPValue, 0.05)
        XCTAssertFalse(overhead.reason.contains("--family"), overhead.reason)
        // The samples' mean: 0.9 · 1 ms + 0.1 · 6 ms plus the mean jitter (0…60 µs, mean 30 µs
        // over the 400 calls to within 0.1 µs) = 1.53 ms.
        XCTAssertTrue(overhead.reason.contains("a protocol cost has no empirical form, so the fragment carries it; its mean is "),
                      overhead.reason)
        XCTAssertTrue(overhead.reason.hasSuffix("the samples' 1.53ms"), overhead.reason)

        var forced = Calibration.Request(file: "r.csv")
        forced.family = .empirical
        let asked = try Calibration.make(forced, text: records())
        XCTAssertFalse(try XCTUnwrap(asked.selection).reason.contains("consider"), "a family asked for gets no advice")
    }
}
