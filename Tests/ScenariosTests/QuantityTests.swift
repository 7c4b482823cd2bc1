// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import Scenarios

final class QuantityTests: XCTestCase {
    private func value(_ text: String, _ kind: QuantityKind, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        do { return try Quantity.parse(text, as: kind).value } catch {
            XCTFail("`\(text)` as \(kind): \(error)", file: file, line: line)
            return nil
        }
    }

    private func failure(_ text: String, _ kind: QuantityKind, file: StaticString = #filePath, line: UInt = #line) -> QuantityError? {
        do {
            let q = try Quantity.parse(text, as: kind)
            XCTFail("`\(text)` as \(kind) should fail, got \(q)", file: file, line: line)
            return nil
        } catch { return error }
    }

    func testTimesAreSeconds() throws {
        let cases: [(String, Double)] = [("250us", 250e-6), ("250µs", 250e-6), ("250μs", 250e-6), ("2ms", 0.002),
                                         ("1.5s", 1.5), ("10m", 600), ("10min", 600), ("1h", 3600), ("40ns", 40e-9),
                                         ("1e3ms", 1), ("1_000ms", 1), (".5s", 0.5), ("2 ms", 0.002), ("0s", 0)]
        for (text, expected) in cases {
            XCTAssertEqual(try XCTUnwrap(value(text, .time)), expected, accuracy: expected * 1e-12, text)
        }
    }

    func testRatesArePerSecond() throws {
        XCTAssertEqual(try XCTUnwrap(value("3.2/s", .rate)), 3.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(value("1200/min", .rate)), 20, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(value("36/h", .rate)), 0.01, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(value("2/ms", .rate)), 2000, accuracy: 1e-9)
    }

    func testSizesBandwidthPowerMoney() throws {
        let cases: [(String, QuantityKind, Double)] = [
            ("150KB", .size, 150_000), ("1MB", .size, 1e6), ("2GB", .size, 2e9), ("10B", .size, 10),
            ("1KiB", .size, 1024), ("3MiB", .size, 3 * 1_048_576), ("8GiB", .size, 8 * 1_073_741_824),
            ("100Mbps", .bandwidth, 1e8), ("1Gbps", .bandwidth, 1e9), ("56Kbps", .bandwidth, 56_000), ("9600bps", .bandwidth, 9600),
            ("15W", .power, 15), ("500mW", .power, 0.5), ("1.2kW", .power, 1200),
            ("$0.90/h", .moneyRate, 0.9), ("$0.01/min", .moneyRate, 0.6), ("$0.02", .money, 0.02),
        ]
        for (text, kind, expected) in cases {
            XCTAssertEqual(try XCTUnwrap(value(text, kind)), expected, accuracy: expected * 1e-12, text)
        }
    }

    func testBareNumberNamesTheExpectedUnit() throws {
        let rate = try XCTUnwrap(failure("3.2", .rate))
        XCTAssertEqual(rate.message, "`3.2` needs a unit: write a rate such as `3.2/s` or `3.2/min`")
        XCTAssertEqual(try XCTUnwrap(failure("2", .time)).message, "`2` needs a unit: write a time such as `2ms` or `2s`")
        XCTAssertEqual(try XCTUnwrap(failure("150", .size)).message, "`150` needs a unit: write a size such as `150KB` or `150MiB`")
        XCTAssertTrue(try XCTUnwrap(failure("0.9", .moneyRate)).message.contains("`$0.9/h`"))
        XCTAssertTrue(try XCTUnwrap(failure("0", .time)).message.contains("needs a unit"))
    }

    func testWrongKindNamesWhatWasExpected() throws {
        XCTAssertEqual(try XCTUnwrap(failure("2ms", .rate)).message,
                       "`2ms` is a time, but a rate is expected: write e.g. `2/s` or `2/min`")
        XCTAssertTrue(try XCTUnwrap(failure("3/s", .time)).message.hasPrefix("`3/s` is a rate, but a time is expected"))
        XCTAssertTrue(try XCTUnwrap(failure("$0.90/h", .money)).message.contains("price per hour"))
        XCTAssertTrue(try XCTUnwrap(failure("$0.02", .moneyRate)).message.contains("`$0.02/h`"))
        XCTAssertTrue(try XCTUnwrap(failure("0.90/h", .moneyRate)).message.contains("is a rate"))
    }

    func testNonPositiveRatesAreErrors() throws {
        for text in ["-3/s", "0/s", "-0/s", "0.0/min"] {
            XCTAssertTrue(try XCTUnwrap(failure(text, .rate)).message.contains("must be greater than 0"), text)
        }
    }

    func testUnknownUnitsSuggestAClosematch() throws {
        let error = try XCTUnwrap(failure("8gib", .size))
        XCTAssertTrue(error.message.contains("unknown unit `gib` (did you mean `GiB`?)"), error.message)
        XCTAssertNotNil(error.hint)
        XCTAssertTrue(try XCTUnwrap(failure("5kg", .time)).message.contains("unknown unit `kg`"))
        XCTAssertTrue(try XCTUnwrap(failure("1200/fortnight", .rate)).message.contains("unknown unit `/fortnight`"))
    }

    func testNonFiniteAndMalformedNumbersAreErrors() throws {
        XCTAssertTrue(try XCTUnwrap(failure("1e999s", .time)).message.contains("too large"))
        XCTAssertTrue(try XCTUnwrap(failure("1e308h", .time)).message.contains("overflows"))
        for text in ["inf s", "nans", "ms", "", "  ", "0x10s", "1__0ms", "_1ms", "--1s", "$", "1.2.3s"] {
            XCTAssertNotNil(failure(text, .time), text)
        }
    }

    func testNegativeTimesAreLeftToTheCaller() throws {
        XCTAssertEqual(try XCTUnwrap(value("-2ms", .time)), -0.002, accuracy: 1e-15)
    }
}
