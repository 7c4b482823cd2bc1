// SPDX-License-Identifier: GPL-3.0-or-later

/// How a placement on a node group picks the member that serves a request
/// (docs/scenario-format.md, "Node groups"). Random choices draw from the stage's own
/// `RandomStream` (`select/<stage index>`), so they are reproducible.
public enum MemberSelection: String, Sendable, Equatable, CaseIterable {
    /// The member that is the request's source (the workload's source is the same group).
    case local
    /// Members in turn: 0, 1, …, N−1, 0, …
    case roundRobin
    /// A member drawn uniformly at random.
    case random
    /// The member with the fewest jobs at its station (waiting or in service); ties go to
    /// the lowest index. Scans every member: O(N) per request.
    case leastLoaded
    /// Two distinct members drawn at random; the one with fewer jobs (the first drawn on a
    /// tie) — "the power of two choices".
    case powerOfTwo
}

/// Written as its name in the scenario file (`rawValue`).
extension MemberSelection: Encodable {}
