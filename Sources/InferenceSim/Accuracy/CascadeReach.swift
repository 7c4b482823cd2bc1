// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The expected share of a cascade's requests that reach each stage, from the scenario alone
/// (docs/cost-models.md, "Offered load of a cascade stage").
///
/// Stage 0 sees every request. Stage k ≥ 1 sees the requests that every earlier stage
/// escalated, `P(c₀ < t₀ ∧ … ∧ c_{k−1} < t_{k−1})` (c_j stage j's confidence, t_j its
/// threshold; `CascadeRule`):
/// - prediction-log replay: exact — the share of the logs' samples whose logged confidences are
///   all below the thresholds (request n replays sample n mod N, so every sample is replayed
///   equally often over whole cycles);
/// - synthetic accuracy: exact for stage 1, `P(c₀ < t₀)` of the Beta confidence model
///   (`SyntheticAccuracy.escalationProbability`); for k ≥ 2 the joint probability depends on
///   how the models' confidences correlate, so only the bound `min_{j<k} P(c_j < t_j)` is
///   given (it holds whatever the correlation);
/// - otherwise (no accuracy model can be built): 1, a bound.
public struct CascadeReach: Sendable, Equatable {
    /// Expected share of requests that reach the stage, 0...1.
    public var share: Double
    /// Whether `share` is the expected share itself (`true`) or only an upper bound on it.
    public var isExact: Bool

    public init(share: Double, isExact: Bool) {
        self.share = share
        self.isExact = isExact
    }

    /// The reach of every placement of `config`'s deployment, in placement order: the stages'
    /// reaches for a cascade, every request (exact) for other deployments.
    public static func perPlacement(_ config: ScenarioConfig) -> [CascadeReach] {
        config.deployment.kind.reaches(config)
    }

    /// The reaches of the stages of a cascade with these `thresholds` (one per placement).
    static func cascade(_ config: ScenarioConfig, thresholds: [Double]) -> [CascadeReach] {
        let placements = config.deployment.placements
        guard placements.count > 1 else { return placements.map { _ in CascadeReach(share: 1, isExact: true) } }
        if let replay = try? PredictionReplay(deployment: config.deployment, models: config.models) {
            return replayed(replay, thresholds: thresholds)
        }
        if let synthetic = try? SyntheticAccuracy(deployment: config.deployment, models: config.models) {
            var reaches = [CascadeReach(share: 1, isExact: true)]
            var bound = 1.0
            for k in 1..<placements.count {
                bound = min(bound, synthetic.escalationProbability(model: k - 1, threshold: thresholds[k - 1]))
                reaches.append(CascadeReach(share: bound, isExact: k == 1))
            }
            return reaches
        }
        return placements.indices.map { CascadeReach(share: 1, isExact: $0 == 0) }
    }

    /// Exact reaches under replay: the share of samples whose stages 0..<k all escalate.
    private static func replayed(_ replay: PredictionReplay, thresholds: [Double]) -> [CascadeReach] {
        var reached = [Int](repeating: 0, count: replay.count)
        for s in 0..<replay.samples {
            reached[0] += 1
            for k in 1..<replay.count {
                guard CascadeRule.escalates(replay.answer(model: k - 1, sample: s), threshold: thresholds[k - 1]) else { break }
                reached[k] += 1
            }
        }
        return reached.map { CascadeReach(share: Double($0) / Double(replay.samples), isExact: true) }
    }
}
