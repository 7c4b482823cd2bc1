// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// Picks, per request, the member of a node group that serves one deployment stage
/// (`MemberSelection`). Random choices come from the selector's own stream; `leastLoaded`
/// breaks ties by round robin (the first least-loaded member after the last one chosen).
final class MemberSelector {
    let policy: MemberSelection
    /// The group's stations, unretained (the engine and `NodeGroup` keep them alive).
    private let members: FixedTable<UnownedRef<FIFOStation>>
    private let stream: RandomStream
    private var nextInTurn = 0

    init(policy: MemberSelection, group: NodeGroup, stream: RandomStream) {
        self.policy = policy
        self.stream = stream
        members = FixedTable(group.members.map(UnownedRef.init))
    }

    /// The station of the member chosen for a request whose source is member `sourceMember`
    /// of its workload's source group (−1 when the source is not a group).
    @inline(__always)
    func select(sourceMember: Int) -> UnownedRef<FIFOStation> {
        let count = members.count
        switch policy {
        case .local:
            return members[sourceMember]
        case .roundRobin:
            let chosen = nextInTurn
            nextInTurn = chosen + 1 == count ? 0 : chosen + 1
            return members[chosen]
        case .random:
            return members[Self.uniformIndex(below: count, stream)]
        case .leastLoaded:
            // Scan from the member after the last one chosen, so that ties rotate (round robin
            // among the least loaded) instead of always going to member 0; an idle member
            // cannot be beaten, so the scan stops at the first one.
            var best = nextInTurn, bestLoad = Int.max, index = nextInTurn
            for _ in 0..<count {
                let load = members[index].withObject { $0.busyWorkers + $0.waiting }
                if load < bestLoad {
                    best = index
                    bestLoad = load
                    if load == 0 { break }
                }
                index = index + 1 == count ? 0 : index + 1
            }
            nextInTurn = best + 1 == count ? 0 : best + 1
            return members[best]
        case .powerOfTwo:
            guard count > 1 else { return members[0] }
            let first = Self.uniformIndex(below: count, stream)
            var second = Self.uniformIndex(below: count - 1, stream)
            if second >= first { second += 1 }
            let firstLoad = members[first].withObject { $0.busyWorkers + $0.waiting }
            let secondLoad = members[second].withObject { $0.busyWorkers + $0.waiting }
            return members[secondLoad < firstLoad ? second : first]
        }
    }

    /// A uniform index in 0..<count from one 64-bit draw (Lemire's multiply-shift; the bias
    /// is below count / 2^64, negligible).
    @inline(__always)
    static func uniformIndex(below count: Int, _ stream: RandomStream) -> Int {
        Int(stream.nextUInt64().multipliedFullWidth(by: UInt64(count)).high)
    }
}
