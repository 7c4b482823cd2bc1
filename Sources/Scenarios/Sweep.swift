// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// A scenario's `sweep:` section, expanded: the base scenario and every point, each point's
/// settings applied to the file as `--set` overrides would be and checked like the file.
public struct Sweep: Sendable {
    /// Most points a sweep may have (`sweep:` grids larger than this are refused).
    public static let maximumPoints = ScenarioDecoder.maxSweepPoints

    /// One point: its settings and the scenario they give.
    public struct Point: Sendable {
        /// 0-based position in the sweep (grid order: the first key varies slowest).
        public var index: Int
        /// The settings as `(key path, value)`, the value in the file's own syntax.
        public var settings: [(keyPath: String, value: String)]
        /// The scenario with the settings applied (its `seed` is still the file's).
        public var config: ScenarioConfig

        /// `KEY.PATH=VALUE KEY.PATH=VALUE`: the canonical text from which the point's seed derives.
        public var canonicalText: String { settings.map { "\($0.keyPath)=\($0.value)" }.joined(separator: " ") }
    }

    /// The scenario without any point applied (what `hybridsim run` runs).
    public var base: ScenarioConfig
    /// Every point, in index order; empty when the file has no `sweep:` section.
    public var points: [Point]
    /// The key paths the points set, in order of first appearance (the columns of a results table).
    public var keyPaths: [String] {
        var seen: [String] = []
        for point in points { for setting in point.settings where !seen.contains(setting.keyPath) { seen.append(setting.keyPath) } }
        return seen
    }
}
