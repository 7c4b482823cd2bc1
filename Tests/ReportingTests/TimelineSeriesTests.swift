// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting
import XCTest

/// Reading `timeline.csv` back for the report: the first replication, per node in order,
/// quoted names, and malformed input named by its line.
final class TimelineSeriesTests: XCTestCase {
    private let header = "replication,time_s,node,instances,booting,workers,busy_workers,queue,utilization,power_w\n"

    func testKeepsTheFirstReplicationPerNodeInOrder() throws {
        let csv = header
            + "0,10.0,pool,1,0,4,1,0,0.25,40\n"
            + "0,10.0,\"edge, \"\"north\"\"\",1,0,1,1,3,1.0,15\n"
            + "0,20.0,pool,2,1,4,4,2,1.0,80\n"
            + "0,20.0,\"edge, \"\"north\"\"\",1,0,1,0,0,0.5,10\n"
            + "1,10.0,pool,9,9,9,9,9,0.9,99\n"
        let series = try XCTUnwrap(try TimelineSeries(csv: csv))
        XCTAssertEqual(series.replication, 0)
        XCTAssertEqual(series.nodes.map(\.name), ["pool", "edge, \"north\""])
        XCTAssertEqual(series.nodes[0].samples.map(\.time), [10, 20])
        XCTAssertEqual(series.nodes[0].samples.map(\.instances), [1, 2])
        XCTAssertEqual(series.nodes[1].samples.map(\.queue), [3, 0])
        XCTAssertEqual(series.nodes[1].samples.map(\.powerWatts), [15, 10])
        // Only the pool changed size (and booted): it alone gets an instances chart.
        XCTAssertEqual(series.scalingNodes.map(\.name), ["pool"])
    }

    func testHeaderOnlyIsNoTimelineAndBadRowsAreNamed() throws {
        XCTAssertNil(try TimelineSeries(csv: header))
        XCTAssertThrowsError(try TimelineSeries(csv: header + "0,10.0,pool,1,0,4,1,0,0.25,40\n0,x,pool,1,0,4,1,0,0.25\n")) {
            XCTAssertTrue("\($0)".contains("timeline.csv:3:"), "\($0)")
        }
        XCTAssertThrowsError(try TimelineSeries(csv: "time,node\n1,a\n")) {
            XCTAssertTrue("\($0)".contains("unexpected header"), "\($0)")
        }
    }
}
