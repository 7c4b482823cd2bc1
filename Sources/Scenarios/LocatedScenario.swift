// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// A typed scenario and where parts of it were written, for warnings that point into the
/// file (`ScenarioLoader.loadLocated(path:overrides:)`): nodes offered a load of 1 or more at
/// their entry, overloaded hosts at theirs, overloaded links at their link.
public struct LocatedScenario: Sendable {
    public var config: ScenarioConfig
    /// Where the scenario's top-level mapping starts.
    public var rootLocation: SourceLocation
    /// Where each entry of `links:` starts, in file order.
    public var linkLocations: [SourceLocation]
    /// Where each node's entry under `nodes:` starts, by node name.
    public var nodeLocations: [String: SourceLocation]
    /// Where each host's entry under `hosts:` starts, by host name.
    public var hostLocations: [String: SourceLocation] = [:]

    /// Where node `name` was declared; the file's start when it cannot be found.
    public func location(ofNode name: String) -> SourceLocation {
        nodeLocations[name] ?? rootLocation
    }

    /// Where host `name` was declared; the file's start when it cannot be found.
    public func location(ofHost name: String) -> SourceLocation {
        hostLocations[name] ?? rootLocation
    }

    /// Where link `index` was written; the file's start when the link came from elsewhere.
    public func location(ofLink index: Int) -> SourceLocation {
        linkLocations.indices.contains(index) ? linkLocations[index] : rootLocation
    }
}
