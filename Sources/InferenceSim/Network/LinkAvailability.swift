// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import SimCore

/// When one link is down (docs/cost-models.md, "Link outages"): the union of its scheduled
/// `outages` and of the down periods of its random `failures` process. Down periods are
/// half-open, [start, end): the link is down at `start` and up again at `end`; both
/// directions share them.
///
/// The random process starts up at time 0 and alternates an up time and a down time, drawn
/// from the stream `link/<index>/updown` as far as queries reach (lazily), so the periods do
/// not depend on when or how often they are asked for. Memory grows with the number of
/// random down periods up to the latest time asked about.
final class LinkAvailability {
    /// Scheduled down periods, sorted and disjoint.
    private let scheduled: [Range<SimTime>]
    /// Random down periods drawn so far, sorted and disjoint (empty periods are skipped).
    private var random: [Range<SimTime>] = []
    private let process: (up: Sampler, down: Sampler, stream: RandomStream)?
    /// Start of the next random down period, not yet in `random` (.max without a process).
    private var nextRandomStart: SimTime = .max

    init(outages: [LinkOutage], failures: LinkFailureProcess?, stream: RandomStream) throws {
        scheduled = outages.map {
            SimTimeConversion.nanoseconds(fromSeconds: $0.start) ..< SimTimeConversion.nanoseconds(fromSeconds: $0.end)
        }.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        for (earlier, later) in zip(scheduled, scheduled.dropFirst()) where later.lowerBound < earlier.upperBound {
            throw SimulationBuildError("link outages overlap")
        }
        if let failures {
            guard failures.upTime.mean > 0, failures.downTime.mean > 0 else {
                throw SimulationBuildError("link failures need up and down times with a positive mean")
            }
            let up = try Sampler(failures.upTime)
            process = (up, try Sampler(failures.downTime), stream)
            nextRandomStart = Self.ns(up.sample(stream))
        } else {
            process = nil
        }
    }

    private static func ns(_ seconds: Double) -> SimTime { SimTimeConversion.nanoseconds(fromSeconds: seconds) }

    /// Draws random periods until every one starting at or before `time` is known.
    private func draw(through time: SimTime) {
        guard let process else { return }
        while nextRandomStart <= time {
            let start = nextRandomStart
            let end = start.addingReportingOverflow(Self.ns(process.down.sample(process.stream)))
            let upAgain = end.partialValue.addingReportingOverflow(Self.ns(process.up.sample(process.stream)))
            if end.overflow || upAgain.overflow {  // beyond any run: the process stops there
                random.append(start ..< .max)
                nextRandomStart = .max
                return
            }
            if end.partialValue > start { random.append(start ..< end.partialValue) }
            nextRandomStart = upAgain.partialValue
        }
    }

    /// The period of `periods` containing `time`, if any (binary search).
    private static func period(containing time: SimTime, in periods: [Range<SimTime>]) -> Range<SimTime>? {
        let i = firstStarting(after: time, in: periods)
        guard i > 0, periods[i - 1].upperBound > time else { return nil }
        return periods[i - 1]
    }

    /// Index of the first period of `periods` that starts after `time`.
    private static func firstStarting(after time: SimTime, in periods: [Range<SimTime>]) -> Int {
        var low = 0, high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid].lowerBound <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether the link is down at `time`.
    func isDown(at time: SimTime) -> Bool {
        draw(through: time)
        return Self.period(containing: time, in: scheduled) != nil || Self.period(containing: time, in: random) != nil
    }

    /// The earliest time at or after `time` when the link is up.
    func upAt(_ time: SimTime) -> SimTime {
        var t = time
        while true {
            draw(through: t)
            if let period = Self.period(containing: t, in: scheduled) {
                t = period.upperBound
            } else if let period = Self.period(containing: t, in: random) {
                t = period.upperBound
            } else {
                return t
            }
        }
    }

    /// The next time after `time` when the link changes state (goes down if up at `time`,
    /// comes up if down); .max when it never does.
    func nextChange(after time: SimTime) -> SimTime {
        if isDown(at: time) { return upAt(time) }
        let i = Self.firstStarting(after: time, in: scheduled)
        let nextScheduled = i < scheduled.count ? scheduled[i].lowerBound : .max
        let j = Self.firstStarting(after: time, in: random)
        let nextRandom = j < random.count ? random[j].lowerBound : nextRandomStart
        return min(nextScheduled, nextRandom)
    }

    /// Down time within [from, to) and the number of down periods that overlap it (periods of
    /// the scheduled and random kinds that overlap or touch count as one).
    func downtime(from: SimTime, to: SimTime) -> (time: SimTime, periods: Int) {
        guard to > from else { return (0, 0) }
        draw(through: to)
        var clipped = (scheduled + random).compactMap { period -> Range<SimTime>? in
            let part = max(period.lowerBound, from) ..< max(min(period.upperBound, to), max(period.lowerBound, from))
            return part.isEmpty ? nil : part
        }
        clipped.sort { $0.lowerBound < $1.lowerBound }
        var total: SimTime = 0
        var periods = 0
        var current: Range<SimTime>?
        for part in clipped {
            if let open = current, part.lowerBound <= open.upperBound {
                current = open.lowerBound ..< max(open.upperBound, part.upperBound)
            } else {
                if let open = current { total += open.upperBound - open.lowerBound; periods += 1 }
                current = part
            }
        }
        if let open = current { total += open.upperBound - open.lowerBound; periods += 1 }
        return (total, periods)
    }
}
