// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel
import XCTest
@testable import Scenarios

/// The byte-level fast path of the CSV readers (`CSVFastPath`) must change speed only: for
/// random files mixing plain rows, other number forms, bad rows, comments and every line
/// ending, reading a file gives the same values and the same problems as reading it with
/// every row indented by one space — which sends every row down the exact, slow path.
final class CSVFastPathTests: XCTestCase {
    /// A 64-bit LCG (Knuth's MMIX constants): the same cases on every run.
    private struct Generator {
        var state: UInt64
        mutating func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func testPlainDecimalsAreReadToTheBitAsDoubleReadsThem() {
        var random = Generator(state: 42)
        for _ in 0..<20_000 {
            let whole = String(random.below(1_000_000))
            let fraction = (0..<random.below(12)).map { _ in String(random.below(10)) }.joined()
            let text = fraction.isEmpty ? whole : whole + "." + fraction
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBufferPointer { CSVFastPath.decimal($0[...]) }
            let digits = text.filter(\.isNumber).count
            if digits <= 15 {
                XCTAssertEqual(fast?.bitPattern, Double(text)!.bitPattern, text)
            } else {
                XCTAssertNil(fast, "\(text): more than 15 digits go to the exact path")
            }
        }
        for other in ["", ".5", "5.", "1e3", "-1", "+1", "1_000", "0x10", "inf", "1.2.3", " 1", "1 "] {
            XCTAssertNil(Array(other.utf8).withUnsafeBufferPointer { CSVFastPath.decimal($0[...]) }, other)
        }
    }

    private func lineBreak(_ random: inout Generator) -> String { ["\n", "\r\n", "\r"][random.below(3)] }

    /// A random prediction log of `rows` rows over `k` classes, some rows plain, some not.
    private func randomLog(_ random: inout Generator, rows: Int, k: Int) -> [String] {
        var lines = ["sample_id,label," + (0..<k).map { "p\($0)" }.joined(separator: ",")]
        for i in 0..<rows {
            let cells = (0..<k).map { _ in 1 + random.below(999) }
            let sum = cells.reduce(0, +)
            var probabilities = cells.map { String(Double($0) / Double(sum)) }  // shortest round trip: up to 17 digits
            switch random.below(12) {
            case 0: probabilities[0] = "2.5e-1"
            case 1: probabilities[random.below(k)] = "1.5"
            case 2: probabilities[0] = "." + "5"
            case 3: probabilities[k - 1] = "0"
            default: probabilities = cells.map { String(format: "%.6f", Double($0) / Double(sum)) }
            }
            let id = random.below(8) == 0 ? random.below(max(1, i)) : i  // some duplicates
            let label = random.below(10) == 0 ? k : random.below(k)       // some out of range
            var line = "\(id),\(label)," + probabilities.joined(separator: ",")
            switch random.below(20) {
            case 0: line = "# a comment"
            case 1: line = ""
            case 2: line += ",0.1"
            default: break
            }
            lines.append(line)
        }
        return lines
    }

    private func readLog(_ text: String) -> (PredictionLog?, [String]) {
        var log = DiagnosticLog()
        let result = PredictionLogCSV.read(text, file: "log.csv", log: &log)
        // Messages and lines, not columns: indenting a row moves its columns by one.
        return (result, log.diagnostics.map { "\($0.location.line): \($0.message)" })
    }

    func testPredictionLogsReadTheSameByEitherPath() {
        var random = Generator(state: 2026)
        for round in 0..<60 {
            let k = 2 + random.below(6)
            let lines = randomLog(&random, rows: 1 + random.below(40), k: k)
            var text = "", indented = ""
            for line in lines {
                let end = lineBreak(&random)
                text += line + end
                indented += (line.isEmpty ? "" : " ") + line + end
            }
            let (fast, fastProblems) = readLog(text)
            let (slow, slowProblems) = readLog(indented)
            XCTAssertEqual(fastProblems, slowProblems, "round \(round)")
            XCTAssertEqual(fast?.sampleIDs, slow?.sampleIDs, "round \(round)")
            XCTAssertEqual(fast?.labels, slow?.labels, "round \(round)")
            XCTAssertEqual(fast?.probabilities.map(\.bitPattern), slow?.probabilities.map(\.bitPattern), "round \(round)")
        }
    }

    func testAllPlainLogIsReadWhole() {
        let text = "sample_id,label,p0,p1\n0,1,0.25,0.75\r\n1,0,1,0\r2,1,0.5,0.5"
        var log = DiagnosticLog()
        let result = PredictionLogCSV.read(text, file: "log.csv", log: &log)
        XCTAssertEqual(log.diagnostics, [])
        XCTAssertEqual(result?.sampleIDs, [0, 1, 2])
        XCTAssertEqual(result?.labels, [1, 0, 1])
        XCTAssertEqual(result?.probabilities, [0.25, 0.75, 1, 0, 0.5, 0.5])
    }

    func testEmpiricalSamplesReadTheSameByEitherPath() {
        var random = Generator(state: 99)
        let forms = ["12.5ms", "0ms", "3s", "250us", "7", "1e3us", "1_000ns", "2.5 ms", "-1ms", "4KiB", "5xs", "1.000000000000000001ms",
                     "# note", "", "$3", "8,9", "0.0000001s", "6.02ms"]
        for round in 0..<80 {
            var lines: [String] = random.below(2) == 0 ? [["ms", "seconds", "us", "parsecs"][random.below(4)]] : []
            for _ in 0..<(1 + random.below(30)) { lines.append(forms[random.below(forms.count)]) }
            var text = "", indented = ""
            for line in lines {
                let end = lineBreak(&random)
                text += line + end
                indented += (line.isEmpty ? "" : " ") + line + end
            }
            var fastLog = DiagnosticLog(), slowLog = DiagnosticLog()
            let fast = EmpiricalSamples.read(text, file: "s.csv", kind: .time, log: &fastLog)
            let slow = EmpiricalSamples.read(indented, file: "s.csv", kind: .time, log: &slowLog)
            XCTAssertEqual(fast.map(\.bitPattern), slow.map(\.bitPattern), "round \(round): \(lines)")
            XCTAssertEqual(fastLog.diagnostics.map { "\($0.location.line): \($0.message)" },
                           slowLog.diagnostics.map { "\($0.location.line): \($0.message)" }, "round \(round)")
        }
    }
}
