// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
@testable import InferenceSim

/// The small types that hold the hot path's unretained and unsafe access (`Support/`,
/// docs/architecture.md, "Unretained and unsafe access"): what they promise about ownership.
final class UnretainedAccessTests: XCTestCase {
    private final class Counter {
        var value = 0
    }

    /// An `UnownedRef` neither retains its object when made nor when used: the object stays
    /// uniquely referenced by its owner, and is freed when the owner lets go.
    func testUnownedRefDoesNotRetainItsObject() {
        var owner = Counter()
        let ref = UnownedRef(owner)
        ref.withObject { $0.value += 5 }
        XCTAssertEqual(owner.value, 5, "withObject reaches the owner's object")
        XCTAssertTrue(isKnownUniquelyReferenced(&owner), "the reference added no retain")
        weak var gone = owner
        owner = Counter()
        XCTAssertNil(gone, "the object went with its only owner, the UnownedRef did not keep it")
        _ = ref  // not used after its object is gone (the invariant)
    }

    /// A `FixedTable` reads back what it was built with, and owns its elements: a class
    /// element it holds lives until the table is dropped, and no longer.
    func testFixedTableHoldsItsElementsForItsLifeOnly() {
        weak var element: Counter?
        do {
            let counter = Counter()
            counter.value = 7
            element = counter
            let table = FixedTable([Counter(), counter])
            XCTAssertEqual(table.count, 2)
            XCTAssertEqual(table[1].value, 7)
            XCTAssertTrue(table[1] === counter)
        }
        XCTAssertNil(element, "the table released its elements when it was dropped")
        let empty = FixedTable([Double]())
        XCTAssertEqual(empty.count, 0)
    }
}
