// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// A typed scenario and where parts of it were written, for warnings that point into the
/// file (`ScenarioLoader.loadLocated(path:overrides:)`).
public struct LocatedScenario: Sendable {
    public var config: ScenarioConfig
    /// Where the scenario's top-level mapping starts.
    public var rootLocation: SourceLocation
    /// Where each entry of `links:` starts, in file order.
    public var linkLocations: [SourceLocation]

    /// Where link `index` was written; the file's start when the link came from elsewhere.
    public func location(ofLink index: Int) -> SourceLocation {
        linkLocations.indices.contains(index) ? linkLocations[index] : rootLocation
    }
}
