import XCTest

final class InferenceSimTestsPlaceholder: XCTestCase {
    func testPlaceholder() {}
}
