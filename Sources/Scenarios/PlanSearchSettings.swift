// SPDX-License-Identifier: GPL-3.0-or-later

/// How the planner searches (`plan: {search: {...}}`, docs/planner.md).
public struct PlanSearchSettings: Sendable, Equatable {
    /// Replications of a candidate's first racing stage (at least 2: a confidence interval needs two).
    public var replications: Int
    /// Replications a candidate has when it is judged feasible; stages double up to it.
    public var maxReplications: Int
    /// Confidence level of the racing intervals, in (0, 1).
    public var confidence: Double
    /// The most candidates simulated; the search stops (and says so) when it is reached.
    public var maxSimulated: Int
    /// Candidates simulated together in one wave. Decisions within a wave use the incumbent
    /// of the wave's start, so the result depends on `batch` but never on `--jobs`.
    public var batch: Int

    public static let defaultReplications = 2
    public static let defaultMaxReplications = 8
    public static let defaultConfidence = 0.95
    public static let defaultMaxSimulated = 200
    public static let defaultBatch = 4

    public init(replications: Int = defaultReplications, maxReplications: Int = defaultMaxReplications,
                confidence: Double = defaultConfidence, maxSimulated: Int = defaultMaxSimulated, batch: Int = defaultBatch) {
        self.replications = replications
        self.maxReplications = maxReplications
        self.confidence = confidence
        self.maxSimulated = maxSimulated
        self.batch = batch
    }

    /// The cumulative replication counts of the racing stages: `replications`, doubled each
    /// stage, the last one `maxReplications` (e.g. 2, 4, 8 or 2, 4, 5).
    public var stages: [Int] {
        var counts = [replications]
        while counts.last! < maxReplications { counts.append(min(counts.last! * 2, maxReplications)) }
        return counts
    }
}
