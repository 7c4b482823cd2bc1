// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import XCTest

/// Asserts that `expression` throws `NumericError.invalidArgument` naming `parameter`.
func assertInvalidArgument<T>(_ expression: @autoclosure () throws -> T, _ parameter: String,
                              file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard case .invalidArgument(let named, _)? = error as? NumericError else {
            return XCTFail("expected invalidArgument(\(parameter)), got \(error)", file: file, line: line)
        }
        XCTAssertEqual(named, parameter, file: file, line: line)
    }
}

/// Asserts that `expression` throws `NumericError.unstable` at utilisation `utilization`.
func assertUnstable<T>(_ expression: @autoclosure () throws -> T, utilization: Double,
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        XCTAssertEqual(error as? NumericError, .unstable(utilization: utilization), file: file, line: line)
    }
}

/// Asserts that `expression` throws a `DistributionProblem` about `parameter`.
func assertDistributionProblem<T>(_ expression: @autoclosure () throws -> T, _ parameter: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        XCTAssertEqual((error as? DistributionProblem)?.parameter, parameter, "\(error)", file: file, line: line)
    }
}
