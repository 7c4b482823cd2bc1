// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import NumericCore
import Scenarios
import XCTest

/// `calibrate --overhead-family F`: the protocol costs (callOverhead, serverWork) fitted with one
/// family; `empirical` writes the samples themselves, so the scenario's means are the measured ones.
final class OverheadFamilyCalibrationTests: XCTestCase {
    /// `count` calls of one payload size per protocol in `protocols`: call i's overhead
    /// O = 2 ms + 10 us · i (client time − handler time), of which S = 0.4 ms (even i) or 0.6 ms
    /// (odd i) between receipt and handler start. `zeroCall5`: call 5 has no overhead (received
    /// and handled at send, answered at handler end), O = 0.
    private func records(count: Int = 40, protocols: [String] = ["rest"], zeroCall5: Bool = false) -> String {
        var text = TestbedRecords.columns.joined(separator: ",") + "\n"
        for name in protocols {
            for i in 0..<count {
                let send: Int64 = 1_000_000_000 + Int64(i) * 50_000_000
                let zero = zeroCall5 && i == 5
                let overhead: Int64 = zero ? 0 : 2_000_000 + Int64(i) * 10_000
                let service: Int64 = 4_000_000 + Int64(i % 7) * 100_000
                let server: Int64 = zero ? 0 : i % 2 == 0 ? 400_000 : 600_000
                let start = send + (zero ? 0 : 1_000_000)
                text += "\(name)\(i),c1,\(name),10,\(send),\(start - server),\(start),\(start + service),\(send + overhead + service),1000,200,ok\n"
            }
        }
        return text
    }

    private func request(_ family: FitFamily?, serverWork: Calibration.ServerWorkEstimator? = .receipt) -> Calibration.Request {
        var request = Calibration.Request(file: "r.csv")
        request.serverWork = serverWork
        request.overheadFamily = family
        request.optionNames = .init(family: "--family", overheadFamily: "--overhead-family")  // as the command names them
        return request
    }

    private func mean(ofSamplesFile text: String) throws -> Double {
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.first, "seconds")
        let values = try lines.dropFirst().map { try XCTUnwrap(Double(String($0))) }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The samples files' means: callOverhead's plus serverWork's is the measured mean overhead
    /// (2 ms + 10 us · 19.5 = 2.195 ms) and each is the fit's (the scenario's) mean, up to
    /// floating-point rounding of the sums (1e-12 relative).
    func testEmpiricalWritesTheSamplesWhoseMeansAreTheMeasuredOverhead() throws {
        let calibration = try Calibration.make(request(.empirical), text: records())
        let rest = try XCTUnwrap(calibration.protocols.first)
        let serverWork = try XCTUnwrap(rest.serverWork)
        XCTAssertEqual(rest.callOverhead.chosen.family, .empirical)
        XCTAssertEqual(serverWork.chosen.family, .empirical)
        XCTAssertTrue(rest.callOverhead.reason.hasPrefix("empirical: asked for with --overhead-family; KS D = "), rest.callOverhead.reason)
        XCTAssertTrue(serverWork.reason.hasPrefix("empirical: asked for with --overhead-family"), serverWork.reason)
        XCTAssertEqual(rest.callOverhead.candidates.count, FitFamily.ranked.count + 1, "every family still reported")

        let files = ScenarioFragment.samplesFiles(calibration)
        XCTAssertEqual(files.map(\.name), ["overhead-samples.csv", "server-work-samples.csv"])
        let overheadMean = try mean(ofSamplesFile: files[0].text), serverMean = try mean(ofSamplesFile: files[1].text)
        XCTAssertEqual(overheadMean + serverMean, 2.195e-3, accuracy: 1e-12 * 2.195e-3)
        XCTAssertEqual(serverMean, 0.5e-3, accuracy: 1e-12 * 0.5e-3)
        XCTAssertEqual(overheadMean, rest.callOverhead.chosen.mean, accuracy: 1e-12 * overheadMean)
        XCTAssertEqual(serverMean, serverWork.chosen.mean, accuracy: 1e-12 * serverMean)

        let fragment = ScenarioFragment.render(calibration)
        XCTAssertTrue(fragment.contains("  rest: {callOverhead: {dist: empirical, file: overhead-samples.csv}, requestOverhead: 0B, "
                                        + "responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited, "
                                        + "serverWork: {dist: empirical, file: server-work-samples.csv}}"), fragment)
        let document = try CalibrationDocument.render(calibration).rendered()
        XCTAssertTrue(document.contains("\"samples_file\": \"overhead-samples.csv\""), document)
        XCTAssertTrue(document.contains("\"samples_file\": \"server-work-samples.csv\""), document)
    }

    func testSeveralProtocolsNameTheirSamplesFilesAfterThemselves() throws {
        let calibration = try Calibration.make(request(.empirical), text: records(protocols: ["rest", "grpc"]))
        XCTAssertEqual(ScenarioFragment.samplesFiles(calibration).map(\.name),
                       ["grpc-overhead-samples.csv", "grpc-server-work-samples.csv", "rest-overhead-samples.csv", "rest-server-work-samples.csv"])
        XCTAssertTrue(ScenarioFragment.render(calibration).contains("callOverhead: {dist: empirical, file: rest-overhead-samples.csv}"))
    }

    /// A parametric family asked for is fitted to both costs; without the option nothing changes:
    /// the choice by AIC, no samples files, no `samples_file` key.
    func testAParametricFamilyAndTheDefault() throws {
        let gamma = try XCTUnwrap(Calibration.make(request(.gamma), text: records()).protocols.first)
        XCTAssertEqual(gamma.callOverhead.chosen.family, .gamma)
        XCTAssertEqual(gamma.serverWork?.chosen.family, .gamma)
        XCTAssertTrue(gamma.callOverhead.reason.hasPrefix("gamma: asked for with --overhead-family"), gamma.callOverhead.reason)

        let plain = try Calibration.make(request(nil), text: records())
        XCTAssertTrue(ScenarioFragment.samplesFiles(plain).isEmpty)
        XCTAssertFalse(plain.protocols[0].callOverhead.reason.contains("asked for"), plain.protocols[0].callOverhead.reason)
        XCTAssertFalse(try CalibrationDocument.render(plain).rendered().contains("samples_file"))
    }

    private func refusal(_ request: Calibration.Request, _ text: String) -> String {
        do {
            _ = try Calibration.make(request, text: text)
            return "no error"
        } catch {
            return error.diagnostics.first?.rendered ?? "\(error)"
        }
    }

    /// Too few samples for the family and a zero for a family on (0, ∞) are located errors; so
    /// is the option on a plain column, which has no protocol overhead. (A negative sample cannot
    /// come from valid receipts: the receipt lies between send and handler start.)
    func testRefusals() {
        let few = refusal(request(.empirical), records(count: 20))
        XCTAssertTrue(few.hasPrefix("r.csv:1:1: error: too few samples: `empirical` needs at least 30, the `rest` server pre-handler times at offered_rps 10 has 20"), few)
        // Call 5 is on line 7; handler_start_ns is its 7th column, after 6 cells of
        // "rest5,c1,rest,10,1250000000,1250000000,": column 40. (Without serverWork: O is a
        // difference of integer nanoseconds, exactly 0.)
        let zero = refusal(request(.lognormal, serverWork: nil), records(zeroCall5: true))
        XCTAssertTrue(zero.hasPrefix("r.csv:7:40: error: a sample of the `rest` overheads at offered_rps 10 is 0s (this call's),"
                                     + " which `lognormal` cannot take: `lognormal` lives on (0, ∞); hint: use a family that admits 0"), zero)
        XCTAssertEqual(refusal(request(.empirical, serverWork: nil), records(zeroCall5: true)), "no error", "empirical takes a zero")
        XCTAssertEqual(refusal(request(nil, serverWork: nil), records(zeroCall5: true)), "no error", "without the option: the choice skips lognormal")
        var column = Calibration.Request(file: "t.csv", column: "t_ms")
        column.overheadFamily = .empirical
        // The library words the option as its caller names it: the request's own property by default.
        let unnamed = refusal(column, "t_ms\n1\n2\n3\n")
        XCTAssertTrue(unnamed.hasPrefix("t.csv:1:1: error: `overheadFamily` needs the testbed's records"), unnamed)
        XCTAssertTrue(unnamed.contains("hint: drop `overheadFamily` (`family` sets the service time's family)"), unnamed)
        column.optionNames = .init(family: "--family", overheadFamily: "--overhead-family")
        let plainColumn = refusal(column, "t_ms\n1\n2\n3\n")
        XCTAssertTrue(plainColumn.hasPrefix("t.csv:1:1: error: --overhead-family needs the testbed's records"), plainColumn)
    }
}
