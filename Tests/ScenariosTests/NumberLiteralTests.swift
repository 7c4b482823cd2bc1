// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import Scenarios

final class NumberLiteralTests: XCTestCase {
    func testIntegers() {
        XCTAssertEqual(NumberLiteral.integer("200_000"), .value(negative: false, magnitude: 200_000))
        XCTAssertEqual(NumberLiteral.integer("-5"), .value(negative: true, magnitude: 5))
        XCTAssertEqual(NumberLiteral.integer("+5"), .value(negative: false, magnitude: 5))
        XCTAssertEqual(NumberLiteral.integer("18446744073709551615"), .value(negative: false, magnitude: UInt64.max))
        XCTAssertEqual(NumberLiteral.integer("18446744073709551616"), .tooLarge(negative: false))
        for bad in ["", "-", "1.0", "1e3", "_1", "1_", "1__0", "0x10", " 1", "١"] {
            XCTAssertEqual(NumberLiteral.integer(bad), .notAnInteger, bad)
        }
    }

    func testNumbers() {
        XCTAssertEqual(NumberLiteral.number("0.25"), 0.25)
        XCTAssertEqual(NumberLiteral.number("1e-3"), 0.001)
        XCTAssertEqual(NumberLiteral.number("-.5"), -0.5)
        XCTAssertNil(NumberLiteral.number("1ms"))
        XCTAssertNil(NumberLiteral.number("nan"))
        XCTAssertNil(NumberLiteral.number("."))
    }

    func testSuggestions() {
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.closest(to: "sevice", among: ["serviceTime", "kind"]), nil)
        XCTAssertEqual(Suggestion.closest(to: "serviceTim", among: ["serviceTime", "kind"]), "serviceTime")
        XCTAssertEqual(Suggestion.closest(to: "expnential", among: ["exponential", "normal"]), "exponential")
        XCTAssertEqual(Suggestion.closest(to: "KIND", among: ["kind"]), "kind")
        XCTAssertNil(Suggestion.closest(to: "zzz", among: ["kind", "workers"]))
    }
}
