// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// A deployment compiled for one replication: the stations and samplers of its placements,
/// the network legs between them, and the rule that joins parallel answers.
///
/// Shapes:
/// - `chain` (single, pipeline): source → stage 0 → … → stage n−1 → source.
/// - `fanOut` (collaborative, distributed): source → dispatch node → every branch → join
///   node → source; the join waits for all answers, or fuses at a deadline with a quorum.
/// - `cascade`: source → stage 0; stage k's answer stands when confident enough, otherwise
///   the input goes on to stage k+1; the answering stage replies to the source.
struct FlowPlan {
    enum Shape {
        case chain
        case fanOut(JoinRule)
        case cascade(thresholds: [Double])
    }

    /// How a fan-out's answers are joined.
    /// A reference, so that the join reads it per answer without copying its sampler.
    final class JoinRule {
        /// Fuse this long after dispatch with what has arrived; nil waits for every answer.
        let deadline: SimTime?
        /// Answers needed to fuse (every branch when there is no deadline).
        let quorum: Int
        /// At the deadline with fewer than `quorum` answers: fail (true) or keep waiting.
        let failOnQuorumMiss: Bool
        /// Compute time of the fusion or merge at the join node, and its stream (both or neither).
        let cost: (sampler: Sampler, stream: RandomStream)?
        /// The dispatch's and the fusion's work as jobs at their nodes' stations
        /// (`FanOutJoin+FrontWork.swift`); nil: none (the dispatch takes no time, the fusion
        /// its `cost` as a delay, at most one of the two).
        let dispatchWork: ServiceStage?
        let fusionWork: ServiceStage?
        /// Each branch call's write at the dispatch node and each answer's read at the fusion
        /// node, as jobs (`FanOutJoin+FrontWork.swift`); nil: none (the calls go out at once,
        /// an answer counts when it arrives).
        let sendWork: ServiceStage?
        let readWork: ServiceStage?

        init(deadline: SimTime?, quorum: Int, failOnQuorumMiss: Bool, cost: (sampler: Sampler, stream: RandomStream)?,
             dispatchWork: ServiceStage? = nil, fusionWork: ServiceStage? = nil, sendWork: ServiceStage? = nil,
             readWork: ServiceStage? = nil) {
            self.deadline = deadline
            self.quorum = quorum
            self.failOnQuorumMiss = failOnQuorumMiss
            self.cost = cost
            self.dispatchWork = dispatchWork
            self.fusionWork = fusionWork
            self.sendWork = sendWork
            self.readWork = readWork
        }

        /// The same rule with `frontWork`'s stages.
        func with(_ frontWork: FrontWork) -> JoinRule {
            JoinRule(deadline: deadline, quorum: quorum, failOnQuorumMiss: failOnQuorumMiss, cost: cost,
                     dispatchWork: frontWork.dispatch, fusionWork: frontWork.fusion, sendWork: frontWork.send,
                     readWork: frontWork.read)
        }

        /// A draw of the fusion's compute time, in seconds; nil without a cost.
        @inline(__always)
        func drawCost() -> Double? {
            guard let cost else { return nil }
            return cost.sampler.sample(cost.stream)
        }
    }

    var shape: Shape
    /// Chain stages, fan-out branches or parts, or cascade stages, in file order.
    var stages: [ServiceStage]
    /// Per workload: source → first stage (chain, cascade) or → dispatch node (fan-out).
    var entryLegs: [Transport.Leg]
    /// Per stage k: how work reaches it — from stage k−1 (chain, cascade; unused for k = 0)
    /// or from the dispatch node (fan-out).
    var forwardLegs: [Transport.Leg]
    /// Fan-out only, per branch: branch node → join node.
    var answerLegs: [Transport.Leg]
    /// Per workload, per answering point: back to the source. Chain: [last stage];
    /// fan-out: [join node]; cascade: one per stage.
    var responseLegs: [[Transport.Leg]]
    /// Per stage: fraction of the request's payload and answer it carries (distributed shares;
    /// 1 otherwise).
    var shares: [Double]
    /// Per stage: the answer size it sends on, bytes.
    var outputBytes: [Double]
    /// log2 of the job-id stride (`JobLayout`): job = slot << jobShift | branch.
    var jobShift: Int
    /// Member choices for node groups; nil when the deployment uses none.
    var groupRouting: GroupRouting? = nil
    /// Keep-alive connection pools of pooled calls; nil when no call is pooled.
    var connectionPools: ConnectionPools? = nil
    /// Pipeline only, per stage: the `serverWork` of the call into it when the call has
    /// `serverWorkStarts: withSend` (its receipt overlaps the caller's send; nil: not, and the
    /// stage's own draw holds its serverWork as without the option); empty when no call has it.
    var receiptWork: [Transport.CallOverheadDraw?] = []
    /// Per stage, the leg of such a call's message (the one `forwardLegs` held before it
    /// became the relayed hand-off, `Transport.Leg.overlappingReceipt()`); empty likewise.
    var receiptLegs: [Transport.Leg?] = []
    /// A collaborative deployment's `dispatchWork`, `fusion.work`, `sendWork` and
    /// `fusion.readWork`, each a stage at its node's station (nil: none); the plan's
    /// `JoinRule` holds them.
    struct FrontWork {
        var dispatch: ServiceStage?
        var fusion: ServiceStage?
        var send: ServiceStage?
        var read: ServiceStage?
    }

    /// Default answer size when a model gives none, bytes.
    static let defaultOutputBytes = 1_000.0
}
