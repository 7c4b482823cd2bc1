// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Where a cascade's measured requests were answered: per stage (`model@node`), the requests
/// it answered over all replications and their share of the measured completions. The
/// shares add up to 1; a stage's share is its reach (`CascadeReach`) minus the next stage's.
public struct CascadeAnswers: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        /// `model@node`, as in `fusion.branch_share`.
        public var placement: String
        /// Measured requests answered by this stage, summed over replications.
        public var answered: Int
        /// `answered` over every stage's, 0...1 (0 when nothing completed).
        public var share: Double
    }

    public var stages: [Stage]

    /// nil unless `config` deploys a cascade whose every replication counted its stages.
    public init?(config: ScenarioConfig, results: [ReplicationResult]) {
        guard case .cascade = config.deployment else { return nil }
        let placements = config.deployment.placements
        guard !results.isEmpty, results.allSatisfy({ $0.answeredByStage.count == placements.count }) else { return nil }
        let counts = placements.indices.map { k in results.reduce(0) { $0 + $1.answeredByStage[k] } }
        let total = counts.reduce(0, +)
        stages = placements.indices.map { k in
            Stage(placement: "\(placements[k].model)@\(placements[k].node)", answered: counts[k],
                  share: total > 0 ? Double(counts[k]) / Double(total) : 0)
        }
    }
}
