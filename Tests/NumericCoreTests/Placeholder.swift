import XCTest

final class NumericCoreTestsPlaceholder: XCTestCase {
    func testPlaceholder() {}
}
