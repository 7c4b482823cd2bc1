// SPDX-License-Identifier: GPL-3.0-or-later

/// How long a link that is sometimes down (`outages`, `failures`) was down during
/// measurement (summary.json `links.<index>`). In a run's summary the figures are summed over
/// replications.
public struct LinkDowntime: Sendable, Equatable {
    /// The link's index in `links`.
    public var link: Int
    public var a: String
    public var b: String
    /// Simulated seconds the link was down within the measured window.
    public var downSeconds: Double
    /// Down periods that overlap the measured window (touching periods count as one).
    public var outages: Int
    /// Simulated seconds measured.
    public var measuredSeconds: Double

    public init(link: Int, a: String, b: String, downSeconds: Double, outages: Int, measuredSeconds: Double) {
        self.link = link
        self.a = a
        self.b = b
        self.downSeconds = downSeconds
        self.outages = outages
        self.measuredSeconds = measuredSeconds
    }

    /// Fraction of the measured time the link was up (1 when nothing was measured).
    public var availability: Double { measuredSeconds > 0 ? 1 - downSeconds / measuredSeconds : 1 }

    /// Per link, the sums over `replications` (each listing the same links in the same order).
    static func summed(_ replications: [[LinkDowntime]]) -> [LinkDowntime] {
        guard var total = replications.first else { return [] }
        for other in replications.dropFirst() {
            for i in total.indices {
                total[i].downSeconds += other[i].downSeconds
                total[i].outages += other[i].outages
                total[i].measuredSeconds += other[i].measuredSeconds
            }
        }
        return total
    }
}
