// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Scenarios
import XCTest

/// `LinkLoad` on shipped scenario files (the unit tests of `InferenceSimTests/LinkLoadTests`
/// build their scenarios in code).
final class LinkLoadScenarioTests: XCTestCase {
    /// The large scenario's camera link (a group of 1,000, 1 Gbit/s) carries the first stage's
    /// escalations, ρ ≈ 1.76: overloaded as one shared link (`sharing: fair`), not warned
    /// about as one link per camera (`sharing: none`, the scenario as shipped).
    func testAGroupsLinkIsWarnedAboutOnlyWhenItsMembersShareIt() throws {
        var config = try ScenarioLoader.load(path: "scenarios/bench/large.yaml")
        XCTAssertEqual(config.links[0].sharing, .none)
        XCTAssertEqual(LinkLoad.overloaded(config), [])
        config.links[0].sharing = .fair
        let overloaded = LinkLoad.overloaded(config)
        XCTAssertEqual(overloaded.map(\.key), ["link.0.cams->gpus"])
        XCTAssertEqual(overloaded[0].load, 1.76, accuracy: 0.01)
    }
}
