// SPDX-License-Identifier: GPL-3.0-or-later

/// Mean batch size of a batching node over replications.
enum BatchMean {
    /// Σ completions / Σ batches over the replications' measurements of one node (each batch
    /// weighs the same, whatever replication it ran in); nil for a node that does not batch,
    /// 0 when no batch completed.
    static func pooled(_ results: [NodeResult]) -> Double? {
        var jobs = 0, batches = 0
        for result in results {
            guard let count = result.batches else { return nil }
            jobs += result.completions
            batches += count
        }
        return batches > 0 ? Double(jobs) / Double(batches) : 0
    }
}
