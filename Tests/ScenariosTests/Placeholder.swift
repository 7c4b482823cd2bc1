import XCTest

final class ScenariosTestsPlaceholder: XCTestCase {
    func testPlaceholder() {}
}
