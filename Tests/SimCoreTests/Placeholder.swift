import XCTest

final class SimCoreTestsPlaceholder: XCTestCase {
    func testPlaceholder() {}
}
