// SPDX-License-Identifier: GPL-3.0-or-later

/// A `FlowPlan`'s stages, legs and per-stage numbers in fixed tables, so that the request
/// flow's hot path reads them without reference counting or copying arrays. The plan (kept
/// alive by the flow for the whole run) owns the stages and legs, which the tables reach as
/// `UnownedRef`s; the tables own only their buffers (`FixedTable`).
struct FlowTables: ~Copyable {
    typealias LegRef = UnownedRef<Transport.Leg>

    /// Per stage (chain and cascade stages, fan-out branches).
    let stages: FixedTable<UnownedRef<ServiceStage>>
    /// Per workload.
    let entry: FixedTable<LegRef>
    /// Per stage.
    let forward: FixedTable<LegRef>
    /// Per stage (fan-out only; empty otherwise).
    let answer: FixedTable<LegRef>
    /// Per workload × answering point, at `workload · responseStride + point`.
    let response: FixedTable<LegRef>
    let responseStride: Int
    /// Per stage: answer size, bytes.
    let output: FixedTable<Double>
    /// Per stage: share of the payload and answer.
    let share: FixedTable<Double>
    /// The largest answer size (what a fused answer carries), bytes.
    let largestOutput: Double

    /// Empty tables (a flow before `attach`).
    init() {
        stages = FixedTable([])
        entry = FixedTable([])
        forward = FixedTable([])
        answer = FixedTable([])
        response = FixedTable([])
        responseStride = 0
        output = FixedTable([])
        share = FixedTable([])
        largestOutput = FlowPlan.defaultOutputBytes
    }

    init(_ plan: FlowPlan) {
        stages = FixedTable(plan.stages.map(UnownedRef.init))
        entry = FixedTable(plan.entryLegs.map(UnownedRef.init))
        forward = FixedTable(plan.forwardLegs.map(UnownedRef.init))
        answer = FixedTable(plan.answerLegs.map(UnownedRef.init))
        let stride = plan.responseLegs.map(\.count).max() ?? 0
        responseStride = stride
        response = FixedTable(plan.responseLegs.flatMap { legs in
            legs + Array(repeating: legs[legs.count - 1], count: stride - legs.count)
        }.map(UnownedRef.init))
        output = FixedTable(plan.outputBytes)
        share = FixedTable(plan.shares)
        largestOutput = plan.outputBytes.max() ?? FlowPlan.defaultOutputBytes
    }
}
