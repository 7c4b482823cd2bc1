// SPDX-License-Identifier: GPL-3.0-or-later

/// A `FlowPlan`'s legs and per-stage numbers in raw buffers, so that the request flow's hot
/// path reads them without reference counting or copying arrays. The plan (kept alive by the
/// flow) owns the legs; `deallocate()` frees only the buffers.
struct FlowTables {
    typealias LegRef = Unmanaged<Transport.Leg>

    /// Per workload.
    let entry: UnsafeMutableBufferPointer<LegRef>
    /// Per stage.
    let forward: UnsafeMutableBufferPointer<LegRef>
    /// Per stage (fan-out only; empty otherwise).
    let answer: UnsafeMutableBufferPointer<LegRef>
    /// Per workload × answering point, at `workload · responseStride + point`.
    let response: UnsafeMutableBufferPointer<LegRef>
    let responseStride: Int
    /// Per stage: answer size, bytes.
    let output: UnsafeMutableBufferPointer<Double>
    /// Per stage: share of the payload and answer.
    let share: UnsafeMutableBufferPointer<Double>
    /// The largest answer size (what a fused answer carries), bytes.
    let largestOutput: Double

    init(_ plan: FlowPlan) {
        func table(_ legs: [Transport.Leg]) -> UnsafeMutableBufferPointer<LegRef> {
            let buffer = UnsafeMutableBufferPointer<LegRef>.allocate(capacity: legs.count)
            _ = buffer.initialize(from: legs.map { Unmanaged.passUnretained($0) })
            return buffer
        }
        func numbers(_ values: [Double]) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values)
            return buffer
        }
        entry = table(plan.entryLegs)
        forward = table(plan.forwardLegs)
        answer = table(plan.answerLegs)
        let stride = plan.responseLegs.map(\.count).max() ?? 0
        responseStride = stride
        response = table(plan.responseLegs.flatMap { legs in
            legs + Array(repeating: legs[legs.count - 1], count: stride - legs.count)
        })
        output = numbers(plan.outputBytes)
        share = numbers(plan.shares)
        largestOutput = plan.outputBytes.max() ?? FlowPlan.defaultOutputBytes
    }

    func deallocate() {
        entry.deallocate()
        forward.deallocate()
        answer.deallocate()
        response.deallocate()
        output.deallocate()
        share.deallocate()
    }
}
