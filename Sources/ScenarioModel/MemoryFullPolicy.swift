// SPDX-License-Identifier: GPL-3.0-or-later

/// What a request does when its node's memory for in-flight batches is full
/// (docs/cost-models.md, "Memory for in-flight batches").
public enum MemoryFullPolicy: String, Sendable, Equatable, CaseIterable {
    /// Wait in the queue until a batch completes and frees memory.
    case wait
    /// Be rejected on arrival (dropped) when its memory cannot be reserved.
    case reject
}

/// Written as its name in the scenario file (`rawValue`).
extension MemoryFullPolicy: Encodable {}
